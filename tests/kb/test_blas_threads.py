"""numpy's OpenBLAS is held to one thread once the encoder or the vector search runs."""

from __future__ import annotations

import numpy as np

from desktop_chat.kb import blas_threads
from desktop_chat.kb.embedder import default_embedder


def test_the_encoder_runs_numpy_on_one_blas_thread() -> None:
    default_embedder().embed_queries(["how long does a refund take"])
    found = blas_threads._find()
    if found is None:  # numpy built on Accelerate or MKL: nothing to hold
        assert blas_threads.limit(1) is None
        return
    _set_threads, get_threads = found
    assert get_threads() == 1
    assert blas_threads.limit(4) == 1  # it only ever lowers the count


def test_products_are_the_same_on_one_thread() -> None:
    blas_threads.ensure_limited()
    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((2000, 512)).astype(np.float32)
    query = rng.standard_normal(512).astype(np.float32)
    np.testing.assert_allclose(matrix @ query, np.einsum("ij,j->i", matrix, query), atol=1e-3)
