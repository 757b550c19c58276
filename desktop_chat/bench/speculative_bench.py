"""Prompt-lookup speed-up through the engine worker: copy-heavy answers with and without it."""

from __future__ import annotations

import statistics
from importlib import resources
from pathlib import Path
from typing import Any

from desktop_chat.bench.qt_wait import wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams
from desktop_chat.settings import physical_cores

MAX_TOKENS = 200
N_CTX = 2048

TYPOS = (
    "Our stor is open from nine in the morning untill six in the evening, Monday to Saturday. "
    "Orders placed befor two in the afternoon ship the same day. Returns are acepted within "
    "thirty days of delivery if the item is unused and in its orignal packaging. Refunds are "
    "issued to the original payment method within five busines days after we recieve the item."
)


def _passages() -> str:
    text = resources.files("desktop_chat.resources").joinpath("sample_kb/en/returns.md")
    return text.read_text(encoding="utf-8")[:2400]


def requests() -> dict[str, ChatRequest]:
    """The two copy-heavy answers: a grounded customer-service reply and typo correction."""
    gen = GenParams(max_tokens=MAX_TOKENS, temperature=0.0, seed=1)
    grounded = ChatRequest(
        history=(ChatMessage("user", "How do I return an item, and when do I get my money?"),),
        system="Answer from these passages of the shop's help pages, quoting them:\n\n"
        + _passages(),
        gen=gen,
    )
    typos = ChatRequest(
        history=(
            ChatMessage("user", "Correct the typos in this paragraph. Reply with the paragraph "
                        "only.\n\n" + TYPOS),
        ),
        system="You are a helpful assistant.",
        gen=gen,
    )  # fmt: skip
    return {"grounded answer": grounded, "typo correction": typos}


def _answer(client: Any, model: Path, mode: str, request: ChatRequest) -> tuple[float, str]:
    done: list[Any] = []
    text: list[str] = []
    # A fresh load for each: both start from an empty KV cache, so they write the same text.
    client.load(LoadParams(path=model, n_ctx=N_CTX, n_threads=physical_cores(), speculative=mode))
    wait_until(lambda: not client.loading)

    def on_chunk(_i: int, piece: str) -> None:
        text.append(piece)

    client.chunk.connect(on_chunk)
    client.finished.connect(lambda _i, stats: done.append(stats))
    client.failed.connect(lambda _i, message: done.append(RuntimeError(message)))
    client.generate(request)
    wait_until(lambda: bool(done))
    client.chunk.disconnect(on_chunk)
    client.finished.disconnect()
    client.failed.disconnect()
    if isinstance(done[0], Exception):
        raise done[0]
    return float(done[0].tokens_per_s), "".join(text)


def run(model: Path, rounds: int = 3, label: str = "") -> list[Figure]:
    """The speed-up on ``model``; ``label`` names a second model's row (the first keeps the
    issue's figure name)."""
    from desktop_chat.app import ensure_qapp
    from desktop_chat.engine.client import EngineClient

    ensure_qapp()
    client = EngineClient()
    ratios: dict[str, list[float]] = {name: [] for name in requests()}
    same = True
    try:
        for _ in range(rounds):
            for name, request in requests().items():
                off, plain = _answer(client, model, "off", request)
                on, drafted = _answer(client, model, "prompt_lookup", request)
                same = same and plain == drafted
                if off > 0:
                    ratios[name].append(on / off)
    finally:
        client.shutdown()
    medians = {name: statistics.median(r) for name, r in ratios.items() if r}
    both = [statistics.median(r) for r in ratios.values() if r]
    detail = ", ".join(f"{name} {value:.2f}x" for name, value in medians.items())
    return [
        Figure(
            "prompt-lookup speed-up on a copy-heavy answer" + (f" ({label})" if label else ""),
            min(both) if both else 0.0,
            "ratio",
            ">= 1.3",
            f"the lower of: {detail}; tokens/s with ÷ without, temperature 0, median of "
            f"{rounds}; same text: {'yes' if same else 'NO'}",
        )
    ]
