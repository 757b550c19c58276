"""Engine figures: raw llama-cpp-python vs our worker + signals + chat view, and GUI stalls."""

from __future__ import annotations

import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QTimer

from desktop_chat import settings as settings_mod
from desktop_chat.bench.qt_wait import on_engine_thread, wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.backend import Backend, completion_kwargs
from desktop_chat.engine.prompt import choose_format, plan_prompt
from desktop_chat.engine.types import ChatMessage, GenParams, LoadParams
from desktop_chat.models.gguf_info import read_gguf_info

PROMPT = "Write a long story about a lighthouse keeper and a storm. Use many details."
SYSTEM = "You are a helpful assistant."
MAX_TOKENS = 160
SEED = 1234
N_CTX = 2048


# Greedy and the app's default sampling: the sampler chain's cost shows only in the second.
TEMPERATURES = {"temperature 0": 0.0, "default sampling": GenParams().temperature}


def _gen(temperature: float) -> GenParams:
    return GenParams(max_tokens=MAX_TOKENS, seed=SEED, temperature=temperature)


def raw_tokens_per_s(model: Path, n_threads: int, temperature: float) -> tuple[float, int]:
    """Stream with llama-cpp-python directly on this thread: the baseline."""
    backend = Backend()
    try:
        backend.load(LoadParams(path=model), N_CTX, n_threads, 0)
        meta = read_gguf_info(model)
        bos, eos = backend.special_tokens()
        fmt = choose_format(
            "auto", "", meta.chat_template, meta.architecture, bos, eos, backend.vocab_has
        )
        plan = plan_prompt(SYSTEM, [ChatMessage("user", PROMPT)], fmt, backend.tokenize, N_CTX, 256)
        llm = backend.raw_llama()
        times: list[float] = []
        # The same sampling arguments as the engine, without the engine around them.
        stream: Any = llm.create_completion(
            plan.tokens, **completion_kwargs(_gen(temperature), plan.stop, N_CTX - len(plan.tokens))
        )
        for chunk in stream:
            if chunk["choices"][0].get("text"):
                times.append(time.perf_counter())
        tokens = len(times)
        return ((tokens - 1) / (times[-1] - times[0]) if tokens > 1 else 0.0), tokens
    finally:
        backend.close()


def app_tokens_per_s(  # type: ignore[no-untyped-def]
    app, model: Path, probe_stalls: bool, temperature: float = 0.8
) -> tuple[float, int, float]:
    """Tokens/s as the chat view receives them, or the longest GUI event-loop stall (ms).

    The stall probe wakes the GUI thread every 5 ms, which itself costs throughput on two
    cores, so the two are measured in separate passes.
    """
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", MAX_TOKENS)
    app.settings = settings_mod.with_value(app.settings, "generation.seed", SEED)
    app.settings = settings_mod.with_value(app.settings, "generation.temperature", temperature)
    app.settings = settings_mod.with_value(app.settings, "generation.system_prompt", SYSTEM)
    app.chat.new_chat()
    arrivals: list[float] = []
    done: list[object] = []

    def on_chunk(request_id: int, text: str) -> None:
        if request_id == app.chat.request_id:
            arrivals.append(time.perf_counter())

    app.client.chunk.connect(on_chunk)
    app.chat.turn_finished.connect(lambda _i, stats: done.append(stats))
    gaps: list[float] = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setInterval(5)

    def tick() -> None:
        gaps.append(clock.restart())

    probe.timeout.connect(tick)
    clock.start()
    if probe_stalls:
        probe.start()
    app.chat.send_text(PROMPT)
    wait_until(lambda: bool(done))
    probe.stop()
    app.client.chunk.disconnect(on_chunk)
    stats = done[0]
    tokens = stats.completion_tokens  # type: ignore[attr-defined]
    # The first chunk carries one token; the batches after it carry the rest.
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    rate = (tokens - 1) / span if span > 0 else 0.0
    stall = max(gaps[1:] or [0.0])
    return rate, tokens, stall


def run(model: Path, rounds: int = 5) -> list[Figure]:
    from desktop_chat.app import DesktopChat, ensure_qapp

    qapp = ensure_qapp()
    app = DesktopChat(qapp)
    threads = settings_mod.physical_cores()
    raw_rates: dict[str, list[float]] = {name: [] for name in TEMPERATURES}
    app_rates: dict[str, list[float]] = {name: [] for name in TEMPERATURES}
    stalls: list[float] = []
    counts: set[int] = set()
    try:
        for _ in range(rounds):
            for name, temperature in TEMPERATURES.items():
                rate, tokens = on_engine_thread(
                    app.client, partial(raw_tokens_per_s, model, threads, temperature)
                )
                raw_rates[name].append(rate)
                counts.add(tokens)
                app.client.load(LoadParams(path=model, n_ctx=N_CTX, n_threads=threads))
                wait_until(lambda: not app.client.loading)
                rate, tokens, _ = app_tokens_per_s(app, model, False, temperature)
                app_rates[name].append(rate)
                counts.add(tokens)
                app.client.unload()
            app.client.load(LoadParams(path=model, n_ctx=N_CTX, n_threads=threads))
            wait_until(lambda: not app.client.loading)
            _, _, stall = app_tokens_per_s(app, model, probe_stalls=True)
            stalls.append(stall)
            app.client.unload()
    finally:
        app.window.close()
        app.shutdown()
    figures = []
    for name in TEMPERATURES:
        raw, ours = statistics.median(raw_rates[name]), statistics.median(app_rates[name])
        # This machine's speed drifts from minute to minute; comparing each round's two
        # runs, taken back to back, and then taking the median keeps the drift out.
        ratios = [a / r for a, r in zip(app_rates[name], raw_rates[name], strict=True) if r > 0]
        figures.append(
            Figure(
                f"engine tokens/s vs raw llama-cpp-python ({name})",
                statistics.median(ratios) if ratios else 0.0,
                "ratio",
                ">= 0.97",
                f"median of {rounds} paired rounds; app {ours:.1f} tok/s, raw {raw:.1f} tok/s, "
                f"tokens {sorted(counts)}",
            )
        )
    figures.append(
        Figure(
            "longest GUI event-loop stall while streaming",
            max(stalls),
            "ms",
            "<= 33",
            "5 ms timer probe on the GUI thread",
        )
    )
    return figures
