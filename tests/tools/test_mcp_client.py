"""The MCP client against a real SDK server (tests/fixtures/mcp_server.py), stdio and HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from desktop_chat.tools.config import ServerConfig
from desktop_chat.tools.mcp_client import McpError, McpHub
from desktop_chat.tools.specs import ToolCall

SERVER = Path(__file__).resolve().parents[1] / "fixtures" / "mcp_server.py"


def stdio_server(timeout_s: float = 20.0) -> ServerConfig:
    return ServerConfig(
        name="test", command=sys.executable, args=[str(SERVER)], timeout_s=timeout_s
    )


@pytest.fixture
def hub(app_home):
    hub = McpHub()
    yield hub
    hub.close()


@pytest.fixture
def http_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "--http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the test MCP server did not start") from None
                time.sleep(0.1)  # polling a port that is not open yet
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_stdio_lists_and_calls_tools(hub):
    tools = hub.connect(stdio_server())
    assert {t.name for t in tools} == {"echo", "add", "fail", "hang", "huge"}
    add = next(t for t in tools if t.name == "add")
    assert add.parameters["required"] == ["a", "b"]
    outcome = hub.call("test", ToolCall("add", {"a": 2, "b": 40}))
    assert (outcome.status, outcome.result) == ("done", "42")
    assert hub.call("test", ToolCall("echo", {"text": "héllo"})).result == "héllo"


def test_http_lists_and_calls_tools(hub, http_url):
    tools = hub.connect(ServerConfig(name="web", url=http_url, timeout_s=20))
    assert "echo" in {t.name for t in tools}
    outcome = hub.call("web", ToolCall("add", {"a": 1, "b": 2}))
    assert (outcome.status, outcome.result) == ("done", "3")


def test_a_failing_tool_is_an_outcome_with_its_reason(hub):
    hub.connect(stdio_server())
    outcome = hub.call("test", ToolCall("fail", {"reason": "disk on fire"}))
    assert outcome.status == "error"
    assert "disk on fire" in outcome.error


def test_a_hanging_tool_times_out_with_a_sentence(hub):
    hub.connect(stdio_server(timeout_s=1.5))
    outcome = hub.call("test", ToolCall("hang", {}))
    assert outcome.status == "timeout"
    assert "did not answer within 2 s" in outcome.error
    # the server still answers the next call
    assert hub.call("test", ToolCall("echo", {"text": "still here"})).result == "still here"


def test_stop_cancels_a_running_call(hub):
    hub.connect(stdio_server(timeout_s=60))
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    outcome = hub.call("test", ToolCall("hang", {}), cancel=cancel)
    timer.join()
    assert outcome.status == "cancelled"


def test_huge_results_are_kept_whole_and_truncated_for_the_model(hub):
    hub.connect(stdio_server())
    outcome = hub.call("test", ToolCall("huge", {"megabytes": 2}))
    assert len(outcome.result) == 2 * 1024 * 1024
    for_model = outcome.for_model()
    assert len(for_model) < 10_000 and "truncated" in for_model


def test_a_server_that_will_not_start_is_a_sentence(hub):
    with pytest.raises(McpError, match="could not be started"):
        hub.connect(ServerConfig(name="nope", command="/no/such/mcp-server"))
    with pytest.raises(McpError, match="could not be used"):
        hub.connect(ServerConfig(name="gone", url="http://127.0.0.1:9/mcp", timeout_s=5))


def test_a_server_dying_mid_turn_is_a_failed_call(hub):
    hub.connect(stdio_server())
    hub.disconnect("test")
    outcome = hub.call("test", ToolCall("echo", {"text": "x"}))
    assert outcome.status == "error" and "not running" in outcome.error
