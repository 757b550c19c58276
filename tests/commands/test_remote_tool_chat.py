"""`desktop-chat chat --endpoint … --model …` with tools: the approval loop through a remote
engine — the fake's ``tools`` model, and our own `desktop-chat serve` on the starter model with
--tool-choice required sent as the API's tool_choice."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat.engine import remote_http
from desktop_chat.engine.endpoints import Endpoint
from desktop_chat.engine.types import ChatMessage, GenParams
from desktop_chat.store import open_store
from desktop_chat.tools import config
from tests.commands.streaming import run_chat
from tests.fakes import remote_servers

SERVER = Path(__file__).resolve().parents[1] / "fixtures" / "mcp_server.py"
MCP = f"{sys.executable} {SERVER}"


@pytest.fixture
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


def test_tool_choice_goes_out_only_with_tools() -> None:
    endpoint = Endpoint("x", "http://127.0.0.1:1/v1")
    messages = [ChatMessage("user", "hi")]
    tool = {"type": "function", "function": {"name": "add", "parameters": {}}}
    body = remote_http.request_body(endpoint, "m", messages, GenParams(), [tool], "required")
    assert body["tool_choice"] == "required" and body["tools"] == [tool]
    plain = remote_http.request_body(endpoint, "m", messages, GenParams(), [], "required")
    assert "tool_choice" not in plain and "tools" not in plain


def test_a_remote_tool_turn_runs_the_approved_call(app_home: Path, fake_url: str) -> None:
    config.save(config.ToolsConfig(builtins=["calculator"]), app_home / "config" / "tools.json")
    result = run_chat(
        app_home, "--endpoint", fake_url, "--model", "tools", "--yes", "--json", "What is 6*7?"
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert (call["name"], call["arguments"], call["result"]) == (
        "calculator",
        {"expression": "6*7"},
        "42",
    )
    assert line["answer"] == "The result is 42."
    store, _ = open_store(app_home / "data" / "conversations.sqlite3")
    try:
        [conversation] = store.list_conversations()
        answer = store.active_thread(conversation.id)[-1]
        assert answer.tool_calls[0]["result"] == "42" and answer.complete
        assert answer.model == "remote:127.0.0.1:" + fake_url.split(":")[2].split("/")[0] + "/tools"
    finally:
        store.close()


def test_a_call_no_one_approved_is_denied_remotely(app_home: Path, fake_url: str) -> None:
    config.save(config.ToolsConfig(builtins=["calculator"]), app_home / "config" / "tools.json")
    result = run_chat(app_home, "--endpoint", fake_url, "--model", "tools", "--json", "6*7?")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert [c["status"] for c in line["tool_calls"]] == ["denied"]


def test_required_through_our_own_server_with_an_mcp_tool(app_home: Path, smollm_path: Path):
    server_home = app_home / "server-home"
    server_home.mkdir()
    others = ["echo", "fail", "hang", "huge"]
    server = config.ServerConfig(
        name="test", command=sys.executable, args=[str(SERVER)], disabled_tools=others
    )
    config.save(config.ToolsConfig(servers=[server]), app_home / "config" / "tools.json")
    with remote_servers.running(remote_servers.start_own_server(smollm_path, server_home)) as url:
        result = run_chat(
            app_home,
            "--endpoint", url, "--model", smollm_path.stem, "--seed", "3", "--max-tokens", "60",
            "--tool-choice", "required", "--yes", "--json",
            "What is 17 plus 25? Use the add tool.",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    [call] = line["tool_calls"]
    assert call["name"] == "add" and call["status"] == "done"
    assert call["result"] == str(call["arguments"]["a"] + call["arguments"]["b"])
    assert line["answer"] and "<tool_call>" not in line["answer"]
    assert line["stats"]["rounds"] == 2
