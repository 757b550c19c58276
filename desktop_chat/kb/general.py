"""How near a question is to what people ask a general assistant, not a business.

A question about the weather, a recipe or a share price can sit close enough to some passage,
by chance, to pass the off-topic gate: the subject of a language school's pages is broad, and
USE finds "bitcoin" near its fees. What gives it away is that it is nearer still to questions
no business answers. resources/general_questions.txt holds about 230 of them, English and
Chinese, written once and broad; a question's nearness to them is the mean cosine of its two
nearest (one alone matched on form: "what time is it in sydney" ~ "what time do you close").
"""

from __future__ import annotations

import threading
from importlib import resources

import numpy as np

from desktop_chat.kb.embedder import Embedder

NEAREST = 2

_vectors: dict[str, np.ndarray] = {}
_lock = threading.Lock()


def questions() -> list[str]:
    """The bank's questions, comments and blank lines left out."""
    text = (resources.files("desktop_chat") / "resources" / "general_questions.txt").read_text(
        "utf-8"
    )
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def bank(embedder: Embedder) -> np.ndarray:
    """The bank embedded by this embedder, once per process (~0.2 s with USE)."""
    with _lock:
        vectors = _vectors.get(embedder.name)
        if vectors is None:
            vectors = embedder.embed_queries(questions()).astype(np.float32)
            _vectors[embedder.name] = vectors
        return vectors


def nearness(vectors: np.ndarray, query: np.ndarray) -> float:
    """Mean cosine of the question to its NEAREST closest general questions."""
    if len(vectors) == 0:
        return 0.0
    sims = vectors @ query.astype(np.float32)
    n = min(NEAREST, len(sims))
    return float(np.partition(sims, len(sims) - n)[-n:].mean())
