"""A chat's saved KV state, and the score rows llama-cpp-python writes that nothing reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SavedState:
    """A context's KV state without llama-cpp-python's score rows.

    ``Llama.save_state`` also copies ``n_tokens x n_vocab`` float scores (capped at n_batch
    rows) that sampling in llama.cpp's sampler chain never reads: 29.7 MB of scores beside
    3.5 MB of KV for a 151-token SmolLM2 chat; 0.5 GB per state on a 262k-vocabulary model.
    """

    input_ids: Any  # numpy int array of n_tokens
    data: bytes

    @property
    def n_tokens(self) -> int:
        return len(self.input_ids)

    @property
    def nbytes(self) -> int:
        return len(self.data) + int(self.input_ids.nbytes)


def common_prefix(a: Any, b: Any) -> int:
    """How many leading tokens two token sequences share."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    differ = np.nonzero(np.asarray(a[:n], dtype=np.intc) != np.asarray(b[:n], dtype=np.intc))[0]
    return int(differ[0]) if differ.size else n


def score_sink(n_ctx: int, n_vocab: int) -> Any:
    """An (n_ctx, n_vocab) array over one row: what llama-cpp-python writes there is dropped.

    With a draft it stores every position's logits in ``Llama.scores`` (n_ctx x n_vocab
    floats: 0.8 GB for SmolLM2 at 4096), though the sampler reads llama.cpp's own buffer.
    """
    row = np.zeros((1, n_vocab), dtype=np.single)
    return np.lib.stride_tricks.as_strided(
        row, shape=(n_ctx, n_vocab), strides=(0, row.strides[1]), writeable=True
    )
