"""Tools over a remote engine: the offer goes out as the OpenAI ``tools`` parameter, the
streamed ``delta.tool_calls`` come back as calls the chat's tool loop runs, and the results
go back as role "tool" messages answering those calls."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.chat.tool_loop import ALLOW_ONCE, Round, ToolLoop
from desktop_chat.engine import endpoints, remote_tools
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, ToolCallRef
from desktop_chat.tools.config import ToolsConfig
from desktop_chat.tools.specs import ToolCall
from desktop_chat.tools.toolbox import Toolbox
from tests.fakes import remote_servers


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


@pytest.fixture(scope="module")
def llama_url(smollm_path: Path) -> Iterator[str]:
    with remote_servers.running(remote_servers.start_llama_server(smollm_path)) as url:
        yield url


@pytest.fixture
def engine(qtbot) -> Iterator[RemoteEngine]:
    remote = RemoteEngine(settings_mod.Settings)
    yield remote
    remote.shutdown()


def generate(
    qtbot, engine: RemoteEngine, request: ChatRequest, target: RemoteTarget | None = None
) -> tuple[str, str]:
    chunks: list[str] = []
    ends: list[str] = []
    engine.chunk.connect(lambda _i, text: chunks.append(text))
    engine.finished.connect(lambda _i, _stats: ends.append("finished"))
    engine.failed.connect(lambda _i, message: ends.append(f"failed: {message}"))
    engine.generate(target or RemoteTarget("fake", "tools"), request)
    qtbot.waitUntil(lambda: bool(ends), timeout=60_000)
    for signal in (engine.chunk, engine.finished, engine.failed):
        signal.disconnect()
    return ends[0], "".join(chunks)


def test_a_remote_turn_runs_the_tool_loop(qtbot, engine: RemoteEngine, fake_url: str) -> None:
    endpoints.add(endpoints.Endpoint("fake", fake_url))
    asked: list[str] = []

    def approve(call: ToolCall, _spec: object) -> str:
        asked.append(call.name)
        return ALLOW_ONCE

    loop = ToolLoop(Toolbox(ToolsConfig(builtins=["calculator"])), approve)
    request = ChatRequest(
        (ChatMessage("user", "What is 6 times 7?"),),
        system="Be brief.",
        gen=GenParams(64, seed=1),
        tools=loop.tools(),
    )
    end, text = generate(qtbot, engine, request)
    assert end == "finished"
    shown = "".join(loop.feed(piece) for piece in text)
    round_ = loop.end_round(text)
    assert shown + round_.tail == ""  # the call never reaches the answer
    assert round_.calls == [ToolCall("calculator", {"expression": "6*7"})]
    [outcome] = loop.run(round_)
    assert asked == ["calculator"] and outcome.result == "42"
    end, text = generate(
        qtbot, engine, dataclasses.replace(request, history=loop.history(request.history))
    )
    # The fake answers only when the result's tool_call_id is one of the assistant's calls.
    assert (end, text) == ("finished", "The result is 42.")
    assert loop.end_round(text).calls == []


def test_llama_cpp_pythons_server_takes_the_tools_and_the_tool_turns(
    qtbot, engine: RemoteEngine, llama_url: str
) -> None:
    """A real server whose template knows no tools: the offer and a call's history (an
    assistant turn with tool_calls, a role "tool" result) are accepted, the turn finishes."""
    endpoints.add(endpoints.Endpoint("lab", llama_url, endpoints.Preset.LLAMA_SERVER, 2048))
    loop = ToolLoop(Toolbox(ToolsConfig(builtins=["calculator"])), lambda _c, _s: ALLOW_ONCE)
    loop.run(Round("", [ToolCall("calculator", {"expression": "6*7"})]))
    history = loop.history((ChatMessage("user", "What is 6 times 7?"),))
    assert [m.role for m in history] == ["user", "assistant", "tool"]
    request = ChatRequest(
        history,
        system="Be brief.",
        gen=GenParams(16, seed=1),
        tools=loop.tools(),
    )
    end, _text = generate(qtbot, engine, request, RemoteTarget("lab", remote_servers.ALIAS))
    assert end == "finished"


def test_fragments_come_together_in_index_order() -> None:
    calls: dict[int, dict[str, str]] = {}
    remote_tools.add_fragments(
        [{"index": 1, "function": {"name": "b", "arguments": {"x": 1}}}], calls
    )
    remote_tools.add_fragments(
        [{"index": 0, "function": {"name": "a", "arguments": '{"y"'}}], calls
    )
    remote_tools.add_fragments([{"index": 0, "function": {"arguments": ": 2}"}}], calls)
    remote_tools.add_fragments(["junk", {"index": 2, "function": "junk"}], calls)
    text = remote_tools.calls_text(calls)
    assert text.index('"name": "a"') < text.index('"name": "b"')
    assert '{"name": "a", "arguments": {"y": 2}}' in text
    assert '{"name": "b", "arguments": {"x": 1}}' in text
    assert '{"name": "", "arguments": {}}' in text  # nameless: the parser calls it malformed


def test_calls_and_results_in_the_api_shape() -> None:
    call = ChatMessage("assistant", "", tool_calls=(ToolCallRef("call00000", "add", "{}"),))
    assert remote_tools.api_message(call) == {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "call00000", "type": "function", "function": {"name": "add", "arguments": "{}"}}
        ],
    }
    result = ChatMessage("tool", "5", name="add", tool_call_id="call00000")
    assert remote_tools.api_message(result) == {
        "role": "tool",
        "content": "5",
        "tool_call_id": "call00000",
    }


def test_the_offer_counts_against_the_remote_context() -> None:
    from desktop_chat.engine.remote_budget import fit_history

    turns = tuple(ChatMessage(r, "word " * 60) for _ in range(6) for r in ("user", "assistant"))
    plain = ChatRequest(turns, gen=GenParams(100))
    offered = dataclasses.replace(plain, tools="x" * 900)  # about 300 tokens of functions
    assert fit_history(offered, 1024).first_kept > fit_history(plain, 1024).first_kept
