"""Prompt-lookup decoding: the drafter, when it is used, and the same text at temperature 0."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from desktop_chat.engine import speculative
from desktop_chat.engine.backend import Backend, StreamResult
from desktop_chat.engine.prompt import choose_format, plan_prompt
from desktop_chat.engine.speculative import PromptLookup, wants_prompt_lookup
from desktop_chat.engine.types import ChatMessage, GenParams, LoadParams, ModelLoadError
from desktop_chat.models.gguf_info import read_gguf_info

PARAGRAPH = (
    "Our store is open from nine in the morning until six in the evening, Monday to "
    "Saturday. Orders placed before two in the afternoon ship the same day. Returns are "
    "accepted within thirty days of delivery if the item is unused and in its original "
    "packaging. Refunds are issued to the original payment method within five business days."
)


def test_the_drafter_proposes_what_followed_the_last_ngram():
    drafter = PromptLookup(min_ngram=3, max_ngram=3)
    ids = np.array([1, 2, 3, 4, 5, 6, 9, 1, 2, 3], dtype=np.intc)
    assert drafter(ids).tolist() == [4, 5, 6, 9]  # the first draft is four tokens long
    assert drafter.proposed == 4


def test_the_drafter_proposes_nothing_without_a_three_token_match():
    drafter = PromptLookup()
    assert drafter(np.array([1, 2, 3, 7, 8, 2, 3], dtype=np.intc)).size == 0


def test_the_draft_grows_when_accepted_and_shrinks_to_what_was_kept():
    drafter = PromptLookup(min_ngram=2, max_ngram=2, max_draft=16)
    text = list(range(40))
    ids = np.array([*text, 0, 1], dtype=np.intc)
    first = drafter(ids)
    assert first.tolist() == [2, 3, 4, 5]
    accepted = np.array([*ids, 2, 3, 4, 5, 6], dtype=np.intc)  # all four kept, one more
    assert drafter(accepted).size == 8 and drafter.accepted == 4
    missed = np.array([*accepted, 7, 8, 99], dtype=np.intc)  # two of eight kept
    drafter(missed)
    assert drafter.accepted == 6 and drafter.length == 2


def test_a_model_that_rejects_most_drafts_stops_drafting_for_the_rest_of_the_answer():
    calls: list[bool] = []
    drafter = PromptLookup(
        min_ngram=2, max_ngram=2, judge_after=4, min_acceptance=0.75, on_draft=calls.append
    )
    text = list(range(40))
    ids = np.array([*text, 0, 1], dtype=np.intc)
    assert drafter(ids).tolist() == [2, 3, 4, 5]
    rejected = np.array([*ids, 2, 99], dtype=np.intc)  # one of four kept, then another token
    assert drafter(rejected).size == 0 and drafter.gave_up
    assert calls == [True, False]  # verified batches on, then single steps again
    again = np.array([*rejected, 0, 1], dtype=np.intc)  # a match, but no more drafts
    assert drafter(again).size == 0 and calls == [True, False]
    drafter.reset()  # the next answer gets its own chance
    assert not drafter.gave_up and drafter(ids).size == 4


def test_a_model_that_keeps_its_drafts_goes_on_drafting():
    drafter = PromptLookup(min_ngram=2, max_ngram=2, judge_after=4)
    text = list(range(40))
    ids = np.array([*text, 0, 1], dtype=np.intc)
    drafter(ids)
    kept = np.array([*ids, 2, 3, 4, 5, 6], dtype=np.intc)
    assert drafter(kept).size == 8 and not drafter.gave_up


def test_auto_stays_off_until_it_measures_faster():
    long_text = ChatMessage("user", "Correct the typos: " + PARAGRAPH)
    assert not wants_prompt_lookup("auto", "", (long_text,))
    assert wants_prompt_lookup("prompt_lookup", "", (long_text,))


def test_auto_drafts_only_for_copy_heavy_requests(monkeypatch):
    monkeypatch.setattr(speculative, "AUTO_PROMPT_LOOKUP", True)
    long_text = ChatMessage("user", "Correct the typos: " + PARAGRAPH)
    short = ChatMessage("user", "Tell me a story.")
    assert wants_prompt_lookup("auto", "", (long_text,))
    assert not wants_prompt_lookup("auto", "You are a helpful assistant.", (short,))
    assert wants_prompt_lookup("auto", "Passages:\n" + PARAGRAPH * 4, (short,))
    assert wants_prompt_lookup("prompt_lookup", "", (short,))
    assert not wants_prompt_lookup("off", "", (long_text,))
    assert wants_prompt_lookup("auto", "", (), prompt_text=PARAGRAPH)


def _stream(
    backend: Backend, tokens: list[int], stop, speculative: bool
) -> tuple[str, StreamResult]:
    pieces = backend.stream(
        tokens,
        GenParams(max_tokens=120, temperature=0.0, seed=3),
        stop,
        threading.Event(),
        speculative,
    )
    text: list[str] = []
    while True:
        try:
            text.append(next(pieces))
        except StopIteration as done:
            return "".join(text), done.value


def _answer(path: Path, question: str, speculative: bool) -> tuple[str, StreamResult]:
    # A fresh context for each: on a KV cache that held an earlier answer, batched draft
    # verification can round differently from one-token steps and flip a near tie.
    backend = Backend()
    backend.load(LoadParams(path=path), 2048, 2, 0)
    try:
        plan = _plan(backend, path, question)
        return _stream(backend, plan.tokens, plan.stop, speculative)
    finally:
        backend.close()


def _plan(backend: Backend, path: Path, question: str):
    meta = read_gguf_info(path)
    bos, eos = backend.special_tokens()
    fmt = choose_format(
        "auto", "", meta.chat_template, meta.architecture, bos, eos, backend.vocab_has
    )
    return plan_prompt(
        "You are a helpful assistant.",
        [ChatMessage("user", question)],
        fmt,
        backend.tokenize,
        2048,
        256,
    )


@pytest.mark.parametrize(
    "question",
    [
        "Repeat this paragraph exactly, correcting any typos:\n\n" + PARAGRAPH,
        "Write a short story about a lighthouse keeper.",
    ],
)
def test_prompt_lookup_gives_the_same_text_at_temperature_0(smollm_path, question):
    plain, plain_result = _answer(smollm_path, question, speculative=False)
    drafted, drafted_result = _answer(smollm_path, question, speculative=True)
    assert drafted == plain
    assert drafted_result.completion_tokens == plain_result.completion_tokens
    assert plain_result.draft_proposed == 0
    if question.startswith("Repeat"):
        assert drafted_result.draft_accepted > 0  # it did copy from the prompt


def test_a_draft_model_of_the_same_family_gives_the_same_text(smollm_path: Path) -> None:
    question = "Repeat this paragraph exactly, correcting any typos:\n\n" + PARAGRAPH
    plain, _ = _answer(smollm_path, question, speculative=False)
    backend = Backend()
    # The model itself is the one same-vocabulary draft at hand; the path is what counts.
    params = LoadParams(path=smollm_path, speculative="draft_model", draft_model=str(smollm_path))
    backend.load(params, 2048, 2, 0)
    try:
        assert backend.has_draft_model
        plan = _plan(backend, smollm_path, question)
        drafted, result = _stream(backend, plan.tokens, plan.stop, speculative=True)
    finally:
        backend.close()
    assert not backend.has_draft_model
    assert result.draft_proposed > 0
    assert drafted == plain


def test_a_draft_model_with_another_vocabulary_is_refused(smollm_path: Path, gemma_path: Path):
    backend = Backend()
    params = LoadParams(path=smollm_path, speculative="draft_model", draft_model=str(gemma_path))
    with pytest.raises(ModelLoadError, match="another vocabulary"):
        backend.load(params, 2048, 2, 0)
    assert not backend.loaded and not backend.has_draft_model
