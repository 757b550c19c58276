"""Conversation figures: opening a 2,000-message chat, first-token time as a chat grows,
and going back to an earlier chat compared with continuing the current one."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from desktop_chat import settings as settings_mod
from desktop_chat.bench.qt_wait import wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import (
    ChatMessage,
    ChatRequest,
    GenerationStats,
    GenParams,
    LoadParams,
)

# Each question is about 250 tokens, so ten turns make a chat of about 3,000 tokens.
FILLER = (
    "Here are my notes from the garden this week, please keep them in mind. "
    "The tomatoes are ripening, the beans need water every morning, the roses have aphids, "
    "and the compost is warm. "
)


class _Chat:
    """A conversation driven straight through the engine client, keeping its own history."""

    def __init__(self, client: EngineClient, key: str) -> None:
        self.client = client
        self.key = key
        self.history: list[ChatMessage] = []
        self.window_start = 0

    def turn(self, question: str) -> GenerationStats:
        self.history.append(ChatMessage("user", question))
        done: list[GenerationStats] = []
        text: list[str] = []
        request = ChatRequest(
            history=tuple(self.history),
            # Unique per chat: identical text would let one chat reuse another's cache.
            system=f"You are a helpful gardening assistant. Session {self.key}.",
            gen=GenParams(max_tokens=24, seed=7, temperature=0.2),
            conversation_key=self.key,
            min_start=self.window_start,
        )
        request_id = self.client.generate(request)

        def on_chunk(i: int, piece: str) -> None:
            if i == request_id:
                text.append(piece)

        def on_done(i: int, stats: GenerationStats) -> None:
            if i == request_id:
                done.append(stats)

        self.client.chunk.connect(on_chunk)
        self.client.finished.connect(on_done)
        self.client.cancelled.connect(on_done)
        wait_until(lambda: bool(done))
        self.client.chunk.disconnect(on_chunk)
        self.client.finished.disconnect(on_done)
        self.client.cancelled.disconnect(on_done)
        self.history.append(ChatMessage("assistant", "".join(text)))
        self.window_start = done[0].dropped_messages
        return done[0]


def _question(turn: int) -> str:
    return f"Question {turn}: {FILLER * 6}What should I do first today?"


def attention_floor(model: Path, cached: int = 2500, new: int = 300) -> float:
    """llama.cpp's own cost of ``new`` tokens after ``cached`` ones, over an empty cache.

    Prefix reuse can make turn 10 evaluate only its new tokens, but they still attend to
    everything cached; on a small model that costs as much as the weights. This is the
    floor any engine meets, measured on the same machine in the same run.
    """
    from desktop_chat.engine.backend import Backend

    backend = Backend()
    try:
        backend.load(LoadParams(path=model), 4096, settings_mod.physical_cores(), 0)
        llm = backend.raw_llama()
        context = backend.tokenize(FILLER * 60, True)[:cached]
        fresh = backend.tokenize(_question(99) * 3, False)[:new]
        cold, warm = [], []
        for _ in range(3):
            llm.reset()
            started = time.perf_counter()
            llm.eval(fresh)
            cold.append(time.perf_counter() - started)
            llm.reset()
            llm.eval(context)
            started = time.perf_counter()
            llm.eval(fresh)
            warm.append(time.perf_counter() - started)
        return statistics.median(warm) / statistics.median(cold)
    finally:
        backend.close()


def first_token_figures(model: Path) -> list[Figure]:
    client = EngineClient()
    try:
        client.load(LoadParams(path=model, n_ctx=4096))
        wait_until(lambda: not client.loading)
        ttft_ratios = []
        switch_ratios = []
        for round_number in range(3):
            a = _Chat(client, f"a{round_number}")
            stats = [a.turn(_question(t)) for t in range(1, 11)]
            ttft_ratios.append(stats[-1].ttft_s / stats[0].ttft_s)
            b = _Chat(client, f"b{round_number}")
            for t in range(1, 11):  # as long as chat A, so only the switch differs
                b.turn(_question(t))
            continuing = b.turn(_question(11)).ttft_s
            returning = a.turn(_question(11)).ttft_s  # back to chat A: its cache is restored
            switch_ratios.append(returning / continuing)
            tokens = stats[-1].prompt_tokens
    finally:
        client.shutdown()
    floor = attention_floor(model)
    return [
        Figure(
            "first token at turn 10 vs turn 1",
            statistics.median(ttft_ratios),
            "ratio",
            "<= 1.2",
            f"turn 10 prompt {tokens} tokens, only the new turn evaluated; "
            f"llama.cpp's own floor for that: {floor:.2f}; median of {len(ttft_ratios)}",
        ),
        Figure(
            "first token returning to an earlier chat vs continuing",
            statistics.median(switch_ratios),
            "ratio",
            "<= 1.5",
            "model state saved and restored per chat",
        ),
    ]


def open_long_chat_figure(messages: int = 2000) -> Figure:
    from desktop_chat.app import DesktopChat, ensure_qapp

    qapp = ensure_qapp()
    app = DesktopChat(qapp)
    try:
        store = app.store
        conversation = store.create_conversation("A very long chat")
        for n in range(messages // 2):
            store.add_message(conversation.id, "user", f"Question {n}: {FILLER}")
            store.add_message(conversation.id, "assistant", f"Answer {n}: **noted**. {FILLER}")
        app.window.resize(1200, 800)
        app.window.show()
        qapp.processEvents()
        timings = []
        for _ in range(3):
            app.chat.new_chat()
            qapp.processEvents()
            started = time.perf_counter()
            app.chat.open_conversation(conversation.id)
            qapp.processEvents()  # layout and paint of what is on screen
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        app.window.close()
        app.shutdown()
    return Figure(
        f"open a {messages}-message conversation",
        statistics.median(timings),
        "ms",
        "<= 300",
        "median of 3; newest messages laid out, older ones on scroll",
    )


def run(model: Path) -> list[Figure]:
    return [open_long_chat_figure(), *first_token_figures(model)]
