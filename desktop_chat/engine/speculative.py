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
# copy-heavy answers it loses on the starter model. A profile of the typo request (1 thread)
# puts 96 % of the time in llama_decode with or without drafts (the n-gram search, score-row
# copies and sampling are 3 %): 55 decodes of 199 ms against 74 of 131 ms, because a verified
# batch of k tokens costs about k single steps on this CPU (0.8-1.3x per token for k = 2-16:
# the model is compute-bound, and every position needs the 49k-row output layer). So the
# answer only gains where most drafts are kept: Gemma 3 270M kept 89-91 % and ran at
# 1.26-2.2x, SmolLM2-135M kept 0-58 % and ran at 0.8-0.95x even with the give-up rule below.
# Auto stays off until the bench's starter-model figure shows a win; a model that copies well
# is worth `inference.speculative = prompt_lookup`.
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

    A model that keeps less than ``min_acceptance`` of its first ``judge_after`` drafted
    tokens stops drafting for the rest of the answer: on a CPU a verified batch of k tokens
    costs nearly k single steps, so every rejected token is time lost (SmolLM2-135M kept
    47-58 % on the bench's copy-heavy answers and ran at 0.72-0.82x without this rule, 0.8-0.95x
    with it; Gemma 3 270M keeps 89-91 % and runs at 1.26-2.2x either way).
    """

    def __init__(
        self,
        min_ngram: int = 3,
        max_ngram: int = 5,
        max_draft: int = 16,
        on_draft: Callable[[bool], None] | None = None,
        judge_after: int = 8,
        min_acceptance: float = 0.75,
    ) -> None:
        self.min_ngram, self.max_ngram, self.max_draft = min_ngram, max_ngram, max_draft
        self.on_draft = on_draft
        self.judge_after, self.min_acceptance = judge_after, min_acceptance
        self.reset()

    def reset(self) -> None:
        self.length = 4
        self.proposed = 0
        self.accepted = 0
        self.judged = 0  # drafted tokens whose fate is known (the last draft's is not, yet)
        self.gave_up = False
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
        self.judged += len(draft)
        if taken == len(draft):
            self.length = min(self.max_draft, self.length * 2)
        else:
            self.length = max(1, taken)

    def __call__(self, input_ids: npt.NDArray[np.intc], /, **_: object) -> npt.NDArray[np.intc]:
        ids = np.asarray(input_ids, dtype=np.intc)
        self._learn(ids)
        if self.gave_up or (
            self.judged >= self.judge_after and self.accepted < self.min_acceptance * self.judged
        ):
            if not self.gave_up and self.on_draft is not None:
                self.on_draft(False)  # single steps again: no logits rows for every position
            self.gave_up = True
            return np.empty(0, dtype=np.intc)
        if self.on_draft is not None:
            self.on_draft(True)
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
