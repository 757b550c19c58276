"""Speculative decoding: the prompt-lookup drafter, and when a request gets one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from desktop_chat.engine.types import ChatMessage

MODES = ("auto", "prompt_lookup", "draft_model", "off")

# "auto" would draft only where the answer is likely to copy its prompt: a grounded turn (the
# passages ride in the system prompt) or a long message to correct, translate or edit. On
# free-form chat a wrong draft costs a wider batch for nothing (SmolLM2-135M, 2 cores:
# llama-cpp-python's stock drafter, 10 tokens off every bigram, ran at 0.2-0.35x). Even on
# copy-heavy answers this drafter measured 0.49x (grounded) and 0.75x (typo correction) on
# the shared 2-core machine, where a batch of 2-16 tokens costs far more than one: so auto
# stays off until `bench`'s "prompt-lookup speed-up" figure shows a win.
AUTO_PROMPT_LOOKUP = False
LONG_MESSAGE_CHARS = 300
LONG_SYSTEM_CHARS = 1200


def wants_prompt_lookup(
    mode: str, system: str, history: Sequence[ChatMessage], prompt_text: str = ""
) -> bool:
    """Whether this request streams with the prompt-lookup drafter under ``mode``."""
    if mode == "prompt_lookup":
        return True
    if mode != "auto" or not AUTO_PROMPT_LOOKUP:
        return False
    last_user = next((m.content for m in reversed(history) if m.role == "user"), prompt_text)
    return len(last_user) >= LONG_MESSAGE_CHARS or len(system) >= LONG_SYSTEM_CHARS


class PromptLookup:
    """Drafts the tokens that followed the latest earlier occurrence of the last n-gram.

    llama-cpp-python calls it (as ``Llama.draft_model``) with every token so far plus the one
    just sampled, and verifies the draft in one batch. Unlike the stock
    ``LlamaPromptLookupDecoding`` (bigrams, always 10 tokens) it needs a 3-gram match, and the
    draft length follows what was accepted: doubled after a fully accepted draft, cut to what
    was accepted after a miss, so text that stops copying soon costs one token a step.
    """

    def __init__(
        self,
        min_ngram: int = 3,
        max_ngram: int = 5,
        max_draft: int = 16,
        on_draft: Callable[[], None] | None = None,
    ) -> None:
        self.min_ngram, self.max_ngram, self.max_draft = min_ngram, max_ngram, max_draft
        self.on_draft = on_draft
        self.reset()

    def reset(self) -> None:
        self.length = 4
        self.proposed = 0
        self.accepted = 0
        self._last: tuple[int, npt.NDArray[np.intc]] | None = None

    def _learn(self, ids: npt.NDArray[np.intc]) -> None:
        if self._last is None:
            return
        start, draft = self._last
        self._last = None
        if start > len(ids):  # a new request: the history was cut back
            return
        got = ids[start : start + len(draft)]
        same = got == draft[: len(got)]
        taken = int(np.argmin(same)) if not same.all() else len(got)
        self.accepted += taken
        if taken == len(draft):
            self.length = min(self.max_draft, self.length * 2)
        else:
            self.length = max(1, taken)

    def __call__(self, input_ids: npt.NDArray[np.intc], /, **_: object) -> npt.NDArray[np.intc]:
        ids = np.asarray(input_ids, dtype=np.intc)
        if self.on_draft is not None:
            self.on_draft()
        self._learn(ids)
        draft = self.find(ids)
        if draft.size:
            self._last = (len(ids), draft)
            self.proposed += int(draft.size)
        return draft

    def find(self, ids: npt.NDArray[np.intc]) -> npt.NDArray[np.intc]:
        n_ids = len(ids)
        for n in range(min(self.max_ngram, n_ids - 1), self.min_ngram - 1, -1):
            windows = np.lib.stride_tricks.sliding_window_view(ids[:-1], n)
            hits = np.nonzero(np.all(windows == ids[-n:], axis=1))[0]
            if hits.size:
                start = int(hits[-1]) + n
                draft = ids[start : start + self.length]
                if draft.size:
                    return draft.copy()
        return np.empty(0, dtype=np.intc)
