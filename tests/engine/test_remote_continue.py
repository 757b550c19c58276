"""Continue on a remote answer: the partial answer sent last where the server resumes it (our own
`desktop-chat serve`, which now takes an assistant message last as a prefill), else a user
message asking the remote to go on, and the chat told so. Real servers: the fake, our own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.engine import endpoints, remote_http
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget
from desktop_chat.engine.remote_continue import ASK_TO_GO_ON, continuation, server_kind
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams
from desktop_chat.server.protocol import parse_chat
from tests.fakes import remote_servers

WAIT_MS = 240_000
PARTIAL = "1, 2, 3, 4, 5,"


def _continue(partial: str = PARTIAL) -> ChatRequest:
    history = (
        ChatMessage("user", "Count from 1 to 20, separated by commas."),
        ChatMessage("assistant", partial),
    )
    gen = GenParams(max_tokens=12, temperature=0.0, seed=1)
    return ChatRequest(history, system="", gen=gen, continue_last=True)


def _turn(qtbot, endpoint: str, model: str, request: ChatRequest) -> tuple[str, list, list]:
    engine = RemoteEngine(settings_mod.Settings)
    chunks: list[str] = []
    started: list[object] = []
    ends: list[object] = []
    engine.started.connect(lambda _i, info: started.append(info))
    engine.chunk.connect(lambda _i, text: chunks.append(text))
    engine.finished.connect(lambda _i, stats: ends.append(stats))
    engine.failed.connect(lambda _i, message: ends.append(message))
    try:
        engine.generate(RemoteTarget(endpoint, model), request)
        qtbot.waitUntil(lambda: bool(ends), timeout=WAIT_MS)
    finally:
        engine.shutdown()
    return "".join(chunks), started, ends


def test_a_server_that_cannot_resume_is_asked_to_go_on_and_the_chat_says_so(qtbot) -> None:
    with remote_servers.running(remote_servers.start_fake()) as url:
        endpoints.add(endpoints.Endpoint("fake", url))
        text, started, ends = _turn(qtbot, "fake", "echo", _continue())
    assert not isinstance(ends[0], str), ends
    # The echo shows what was sent: the partial answer, then the request to go on.
    assert text.rstrip().endswith(f"[assistant] {PARTIAL}\n[user] {ASK_TO_GO_ON}")
    [note] = started[0].notes  # type: ignore[attr-defined]
    assert note.startswith("Continue asks the remote engine to go on")


def test_the_servers_that_resume_an_answer_get_it_last() -> None:
    messages = [ChatMessage("user", "q"), ChatMessage("assistant", "partial")]
    for kind in ("own", "llama-server"):
        going_on = continuation(kind, messages)
        assert going_on.messages == messages and not going_on.body and not going_on.note
    vllm = continuation("vllm", messages)
    assert vllm.messages == messages and vllm.body["continue_final_message"] is True
    assert continuation("", messages).messages[-1] == ChatMessage("user", ASK_TO_GO_ON)


def test_our_server_resumes_an_assistant_message_sent_last() -> None:
    body = {
        "messages": [
            {"role": "user", "content": "Count to 20."},
            {"role": "assistant", "content": PARTIAL},
        ]
    }
    assert parse_chat(body, GenParams()).engine_request.continue_last  # type: ignore[union-attr]
    asked = {"messages": [{"role": "user", "content": "Count to 20."}]}
    assert not parse_chat(asked, GenParams()).engine_request.continue_last  # type: ignore[union-attr]


@pytest.fixture
def own_url(smollm_path: Path, tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "server-home"
    home.mkdir()
    with remote_servers.running(remote_servers.start_own_server(smollm_path, home)) as url:
        yield url


def test_continue_through_our_own_server_goes_on_from_the_partial_answer(
    qtbot, own_url: str, smollm_path: Path
) -> None:
    endpoints.add(endpoints.Endpoint("own", own_url))
    endpoint = endpoints.get("own")
    assert endpoint is not None
    assert server_kind(endpoint, "", remote_http.Timeouts()) == "own"
    text, started, ends = _turn(qtbot, "own", smollm_path.stem, _continue())
    assert not isinstance(ends[0], str), ends
    assert not started[0].notes  # type: ignore[attr-defined]  # nothing to apologise for
    # The answer goes on from "5," (a new answer would start again from 1).
    assert text.lstrip().startswith("6"), text
