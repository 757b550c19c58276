"""A chat session's figures: first token at turn 10 against llama.cpp's floor, saved states."""

from __future__ import annotations

import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any

from desktop_chat.bench.qt_wait import on_engine_thread, wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.backend import Backend
from desktop_chat.engine.prompt import choose_format, plan_prompt
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams
from desktop_chat.models.gguf_info import read_gguf_info
from desktop_chat.settings import physical_cores

N_CTX = 4096
TURNS = 10
SYSTEM = "You are a helpful assistant."
QUESTIONS = (
    "What is a lighthouse?",
    "Who keeps it running?",
    "What happens in a storm?",
    "How did keepers talk to ships?",
    "When were they automated?",
    "What is a Fresnel lens?",
    "Name a famous lighthouse.",
    "Why are they painted in stripes?",
    "Can you visit one today?",
    "Give me one fun fact about them.",
)
GEN = GenParams(max_tokens=48, temperature=0.0, seed=1)
MIB = 1024 * 1024


def _turn(client: Any, history: list[ChatMessage], key: str) -> tuple[float, str, int]:
    """Send one turn; seconds from generate() to the first chunk on this thread, text, tokens."""
    chunks: list[tuple[float, str]] = []
    done: list[Any] = []

    def on_chunk(_i: int, piece: str) -> None:
        chunks.append((time.perf_counter(), piece))

    client.chunk.connect(on_chunk)
    client.finished.connect(lambda _i, stats: done.append(stats))
    sent = time.perf_counter()
    client.generate(
        ChatRequest(history=tuple(history), system=SYSTEM, gen=GEN, conversation_key=key)
    )
    wait_until(lambda: bool(done))
    client.chunk.disconnect(on_chunk)
    client.finished.disconnect()
    return chunks[0][0] - sent, "".join(p for _, p in chunks), int(done[0].completion_tokens)


class _Floor:
    """llama.cpp alone, on this thread: only the last turn's new tokens on a cache holding all
    before them. Loaded once, so each round's floor is taken right after the app's turn."""

    def __init__(self, model: Path) -> None:
        self.backend = Backend()
        self.backend.load(LoadParams(path=model), N_CTX, physical_cores(), 0)
        meta = read_gguf_info(model)
        bos, eos = self.backend.special_tokens()
        self.fmt = choose_format(
            "auto", "", meta.chat_template, meta.architecture, bos, eos, self.backend.vocab_has
        )

    def seconds(self, history: list[ChatMessage], answered: int) -> tuple[float, int]:
        """``history`` ends with the last question; ``answered`` is how many tokens the answer
        before it took. Returns seconds to the first token, and how many tokens were new."""
        tokenize = self.backend.tokenize
        plan = plan_prompt(SYSTEM, history, self.fmt, tokenize, N_CTX, 256)
        before = plan_prompt(SYSTEM, history[:-2], self.fmt, tokenize, N_CTX, 256)
        new_tokens = max(1, len(plan.tokens) - len(before.tokens) - answered)
        llm = self.backend.raw_llama()
        times = []
        for _ in range(3):
            llm.reset()
            llm.eval(plan.tokens[: len(plan.tokens) - new_tokens])
            started = time.perf_counter()
            stream: Any = llm.create_completion(
                plan.tokens, max_tokens=1, temperature=0.0, stream=True
            )
            next(iter(stream))
            times.append(time.perf_counter() - started)
            stream.close()
        return statistics.median(times), new_tokens

    def close(self) -> None:
        self.backend.close()


def _session(client: Any, key: str) -> tuple[list[float], list[ChatMessage], int]:
    """Ten turns of one chat: first-token seconds per turn, the history, turn 9's answer size."""
    history: list[ChatMessage] = []
    firsts: list[float] = []
    answered = 0
    for question in QUESTIONS[:TURNS]:
        history.append(ChatMessage("user", question))
        first, answer, answered_now = _turn(client, history, key)
        if len(firsts) < TURNS - 1:
            answered = answered_now
        firsts.append(first)
        history.append(ChatMessage("assistant", answer))
    return firsts, history, answered


def run(model: Path, rounds: int = 3) -> list[Figure]:
    from desktop_chat.app import ensure_qapp
    from desktop_chat.engine.client import EngineClient

    ensure_qapp()
    client = EngineClient()
    # The floor's model lives and runs on the engine's thread too (see on_engine_thread).
    floor = on_engine_thread(client, lambda: _Floor(model))
    ratios: list[float] = []
    apps: list[float] = []
    floors: list[float] = []
    firsts: list[float] = []
    new_tokens = 0
    try:
        client.load(LoadParams(path=model, n_ctx=N_CTX, n_threads=physical_cores()))
        wait_until(lambda: not client.loading)
        # The machine's speed drifts: each round's app turn and floor are taken back to back,
        # and the figure is the median of the rounds' ratios.
        for round_ in range(rounds):
            firsts, history, answered = _session(client, f"session-{round_}")
            seconds, new_tokens = on_engine_thread(
                client, partial(floor.seconds, history[:-1], answered)
            )
            apps.append(firsts[-1])
            floors.append(seconds)
            if seconds > 0:
                ratios.append(firsts[-1] / seconds)
        # Three more chats, so the worker saves states and its byte budget applies.
        for key in ("other-1", "other-2", "other-3"):
            _turn(client, [ChatMessage("user", QUESTIONS[0])], key)
        states = client._worker.state_cache_bytes
        kept = len(client._worker.chat_states.states)
    finally:
        on_engine_thread(client, floor.close)
        client.shutdown()
    app_ms, floor_ms = statistics.median(apps) * 1000, statistics.median(floors) * 1000
    return [
        Figure(
            "first token at turn 10 vs llama.cpp's floor",
            statistics.median(ratios) if ratios else 0.0,
            "ratio",
            "<= 1.05",
            f"median of {rounds} paired rounds; app {app_ms:.0f} ms (turn 1 "
            f"{firsts[0] * 1000:.0f} ms) from Send to the first chunk; floor {floor_ms:.0f} ms: "
            f"llama.cpp evaluating only the {new_tokens} new tokens",
        ),
        Figure(
            "KV-state cache bytes",
            states / MIB,
            "MB",
            "<= 256",
            f"saved states of the {kept} chats left, budget inference.state_cache_mb = 256",
        ),
    ]
