"""A long chat at n_ctx=512 with the real model keeps going: the oldest turns drop, never a stop."""

from __future__ import annotations

from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams
from tests.engine.conftest import load


def test_thirty_turns_in_a_512_token_window_never_fail(qtbot, client, smollm_path):
    load(qtbot, client, smollm_path, n_ctx=512)
    history: list[ChatMessage] = []
    window_start = 0
    dropped_any = False
    for turn in range(30):
        history.append(
            ChatMessage("user", f"Turn {turn}: tell me one fact about the number {turn}.")
        )
        request = ChatRequest(
            history=tuple(history),
            system="You are a helpful assistant.",
            gen=GenParams(max_tokens=48, seed=turn),
            min_start=window_start,
        )
        events: dict[str, object] = {}
        client.started.connect(lambda _i, info, events=events: events.setdefault("started", info))
        with qtbot.waitSignals([client.started], timeout=180_000):
            request_id = client.generate(request)
        text: list[str] = []
        client.chunk.connect(
            lambda i, t, text=text, rid=request_id: text.append(t) if i == rid else None
        )
        qtbot.waitUntil(lambda: not client.busy, timeout=180_000)
        info = events["started"]
        assert info.prompt_tokens <= 512 - 48  # room for the answer was reserved
        assert info.first_kept >= window_start  # the window only moves forward
        dropped_any = dropped_any or info.first_kept > 0
        window_start = info.first_kept
        history.append(ChatMessage("assistant", "".join(text) or "ok"))
        for signal in (client.started, client.chunk):
            signal.disconnect()
    assert dropped_any


def test_ask_policy_fails_with_a_sentence_instead_of_dropping(qtbot, client, smollm_path):
    load(qtbot, client, smollm_path, n_ctx=512)
    history = (ChatMessage("user", "word " * 700),)
    with qtbot.waitSignal(client.failed, timeout=180_000) as blocker:
        client.generate(ChatRequest(history=history, policy="ask", gen=GenParams(max_tokens=32)))
    assert "no longer fits" in blocker.args[1]
