"""Speculative decoding with a draft model: a smaller GGUF of the same family, greedy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class DraftModel:
    """Drafts ``length`` tokens greedily with ``llm`` (a ``Llama``) for the big model.

    ``is_eog(token)`` says whether a token ends generation; the draft stops before it.
    """

    def __init__(
        self, llm: Any, on_draft: Callable[[], None], is_eog: Callable[[int], bool], length: int = 6
    ) -> None:
        self.llm, self.on_draft, self.is_eog, self.length = llm, on_draft, is_eog, length
        self.proposed = self.accepted = 0

    def reset(self) -> None:
        self.proposed = self.accepted = 0

    def __call__(self, input_ids: Any, /, **_: object) -> Any:
        self.on_draft()
        llm, ids = self.llm, list(map(int, input_ids))
        keep = 0
        for a, b in zip(llm.input_ids[: llm.n_tokens], ids, strict=False):
            if a != b:
                break
            keep += 1
        keep = min(keep, len(ids) - 1)  # evaluate at least one token to get fresh logits
        llm.n_tokens = keep
        llm.eval(ids[keep:])
        draft: list[int] = []
        for _step in range(self.length):
            token = int(llm.sample(temp=0.0, top_k=1))
            if self.is_eog(token):
                break
            draft.append(token)
            llm.eval([token])
        self.proposed += len(draft)
        return np.array(draft, dtype=np.intc)
