"""The saved states of recent chats: bounded by bytes, scores left out, restored faithfully."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from desktop_chat.engine.backend import Backend, SavedState
from desktop_chat.engine.types import GenParams, LoadParams
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
        worker._keep_state(key, _state(4))
    assert list(worker._states) == ["b", "c"]
    assert worker.state_cache_bytes <= 10 * MIB
    worker._keep_state("b", _state(1))  # saved again: now the most recent, and smaller
    worker._keep_state("d", _state(4))
    assert list(worker._states) == ["c", "b", "d"]


def test_a_state_over_the_whole_budget_is_not_kept(tmp_path):
    worker = _worker(2, tmp_path / "m.gguf")
    worker._keep_state("small", _state(1))
    worker._keep_state("huge", _state(3))
    assert list(worker._states) == ["small"]
    nothing = _worker(0, tmp_path / "m.gguf")
    nothing._keep_state("any", _state(0.01))
    assert not nothing._states


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
        assert not copies and not worker._states
    finally:
        worker.close()
