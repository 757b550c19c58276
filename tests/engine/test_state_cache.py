"""The saved states of recent chats: bounded by bytes, scores left out, restored faithfully."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from desktop_chat.engine.backend import Backend, SavedState
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams
from desktop_chat.engine.worker import MIB, EngineWorker


def _state(mb: float) -> SavedState:
    return SavedState(np.zeros(10, dtype=np.intc), b"\0" * int(mb * MIB))


def _worker(budget_mb: int, path: Path) -> EngineWorker:
    worker = EngineWorker()
    worker._params = LoadParams(path=path, state_cache_mb=budget_mb)
    return worker


def test_states_beyond_the_byte_budget_leave_oldest_first(tmp_path):
    worker = _worker(10, tmp_path / "m.gguf")
    for key in ("a", "b", "c"):
        worker.chat_states.keep(key, _state(4))
    assert list(worker.chat_states.states) == ["b", "c"]
    assert worker.state_cache_bytes <= 10 * MIB
    worker.chat_states.keep("b", _state(1))  # saved again: now the most recent, and smaller
    worker.chat_states.keep("d", _state(4))
    assert list(worker.chat_states.states) == ["c", "b", "d"]


def test_a_state_over_the_whole_budget_is_not_kept(tmp_path):
    worker = _worker(2, tmp_path / "m.gguf")
    worker.chat_states.keep("small", _state(1))
    worker.chat_states.keep("huge", _state(3))
    assert list(worker.chat_states.states) == ["small"]
    nothing = _worker(0, tmp_path / "m.gguf")
    nothing.chat_states.keep("any", _state(0.01))
    assert not nothing.chat_states.states


def _continue(backend: Backend, tokens: list[int]) -> str:
    pieces = backend.stream(
        tokens, GenParams(max_tokens=24, temperature=0.0), [], threading.Event()
    )
    return "".join(pieces)


def test_a_restored_state_continues_like_the_original_and_holds_no_scores(smollm_path):
    backend = Backend()
    backend.load(LoadParams(path=smollm_path), 2048, 2, 0)
    try:
        first = backend.tokenize(
            "<|im_start|>user\nName three rivers.<|im_end|>\n<|im_start|>assistant\n"
        )
        other = backend.tokenize(
            "<|im_start|>user\nWhat is rain?<|im_end|>\n<|im_start|>assistant\n"
        )
        expected = _continue(backend, first)
        state = backend.save_state()
        raw = backend.raw_llama()
        # KV of the tokens so far plus one row of logits, not n_tokens x n_vocab scores.
        assert state.n_tokens == raw.n_tokens
        assert state.nbytes < state.n_tokens * 64 * 1024 + raw.n_vocab() * 4 * 4
        _continue(backend, other)
        backend.load_state(state)
        assert _continue(backend, first) == expected
    finally:
        backend.close()


def test_a_state_over_the_budget_is_not_even_copied(qtbot, smollm_path: Path) -> None:
    from desktop_chat.engine.types import ChatMessage, ChatRequest

    worker = EngineWorker()
    worker._load(LoadParams(path=smollm_path, n_ctx=1024, state_cache_mb=0))
    copies: list[int] = []
    real_save = worker.backend.save_state
    worker.backend.save_state = lambda: copies.append(1) or real_save()  # type: ignore[method-assign]
    try:
        for key in ("a", "b"):
            request = ChatRequest(
                history=(ChatMessage("user", "Hi"),),
                gen=GenParams(max_tokens=4, temperature=0.0),
                conversation_key=key,
            )
            worker.generate(1, request, threading.Event())
        assert not copies and not worker.chat_states.states
    finally:
        worker.close()


def _answer(worker: EngineWorker, request_id: int, key: str, question: str) -> str:
    pieces: list[str] = []
    worker.chunk.connect(lambda i, text: pieces.append(text) if i == request_id else None)
    request = ChatRequest(
        history=(ChatMessage("user", question),),
        system="You are a helpful assistant.",
        gen=GenParams(max_tokens=16, temperature=0.0, seed=1),
        conversation_key=key,
    )
    worker.generate(request_id, request, threading.Event())
    worker.chunk.disconnect()
    return "".join(pieces)


def test_a_saved_state_is_restored_only_when_it_holds_more_of_the_prompt_than_the_live_one(
    qtbot, smollm_path
):
    worker = EngineWorker()  # driven on this thread: each call returns when the work is done
    try:
        worker.load(1, LoadParams(path=smollm_path, n_ctx=2048, state_cache_mb=256))
        restores: list[int] = []
        original = worker.backend.load_state

        def load_state(state: SavedState) -> None:
            restores.append(state.n_tokens)
            original(state)

        worker.backend.load_state = load_state  # type: ignore[method-assign]
        first = _answer(worker, 2, "window", "Name a river.")
        # The API server asks the same: the live context is the window's, and it is shared.
        assert _answer(worker, 3, "api", "Name a river.") == first
        # Back in the window: its saved state holds no more of the prompt than what is live.
        assert _answer(worker, 4, "window", "Name a river.") == first
        assert restores == []
        # Another chat replaces the live context; going back restores the window's state.
        _answer(worker, 5, "other", "Tell me about the moon and its phases.")
        assert _answer(worker, 6, "window", "Name a river.") == first
        assert len(restores) == 1 and restores[0] > 0
    finally:
        worker.close()
