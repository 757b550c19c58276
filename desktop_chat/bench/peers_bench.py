"""Peer figures: the app against llama-bench and llama-server in the same run, paired by round."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from desktop_chat import settings as settings_mod
from desktop_chat.bench import engine_bench, peers
from desktop_chat.bench.qt_wait import wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.types import LoadParams


def peer_env() -> dict[str, str]:
    """The peers run with this process's environment (OMP_WAIT_POLICY included): same terms."""
    return dict(os.environ)


def run(model: Path, found: peers.Peers, rounds: int = 3) -> list[Figure]:
    from desktop_chat.app import DesktopChat, ensure_qapp

    threads = settings_mod.physical_cores()
    flash_attn = LoadParams(path=model).flash_attn
    messages = [
        {"role": "system", "content": engine_bench.SYSTEM},
        {"role": "user", "content": engine_bench.PROMPT},
    ]
    qapp = ensure_qapp()
    app = DesktopChat(qapp)
    bench_ratios: list[float] = []
    server_ratios: list[float] = []
    rates: dict[str, list[float]] = {"app": [], "llama-bench": [], "llama-server": []}
    env = peer_env()
    tokens = engine_bench.MAX_TOKENS
    try:
        for _ in range(rounds):
            bench_rate = peers.llama_bench_tokens_per_s(
                found.bench, model, threads, flash_attn, tokens, env
            )
            server_rate = peers.server_tokens_per_s(
                found.server, model, threads, flash_attn, messages, tokens, 0.0, env=env
            )
            app.client.load(LoadParams(path=model, n_ctx=engine_bench.N_CTX, n_threads=threads))
            wait_until(lambda: not app.client.loading)
            ours, _, _ = engine_bench.app_tokens_per_s(app, model, False, 0.0)
            app.client.unload()
            rates["app"].append(ours)
            rates["llama-bench"].append(bench_rate)
            rates["llama-server"].append(server_rate)
            if bench_rate > 0:
                bench_ratios.append(ours / bench_rate)
            if server_rate > 0:
                server_ratios.append(ours / server_rate)
    finally:
        app.window.close()
        app.shutdown()
    medians = {name: statistics.median(values) for name, values in rates.items() if values}
    common = (
        f"{threads} threads, flash attention {'on' if flash_attn else 'off'}, temperature 0, "
        f"median of {rounds} paired rounds; app {medians.get('app', 0):.1f} tok/s"
    )
    return [
        Figure(
            "engine tokens/s vs llama-bench",
            statistics.median(bench_ratios) if bench_ratios else 0.0,
            "ratio",
            ">= 0.92",
            f"{common}, llama-bench {medians.get('llama-bench', 0):.1f} tok/s (no sampling, "
            "empty context)",
        ),
        Figure(
            "engine tokens/s vs llama-server",
            statistics.median(server_ratios) if server_ratios else 0.0,
            "ratio",
            ">= 1.0",
            f"{common}, llama-server {medians.get('llama-server', 0):.1f} tok/s streamed "
            "through its OpenAI API",
        ),
    ]
