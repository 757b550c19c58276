"""The reasoning splitter on recorded thinking-model streams, split at every boundary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_chat.engine.reasoning import ReasoningSplitter, strip_reasoning

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("stream_*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _run(chunks: list[str], opened: bool) -> tuple[str, str, str, str]:
    """Feed the chunks; returns the final answer and reasoning, and the same rebuilt from the
    pieces (as a view that only appends, or starts over on reset, would show them)."""
    splitter = ReasoningSplitter(opened=opened)
    shown_answer = shown_reasoning = ""
    for piece in [*(splitter.feed(c) for c in chunks), splitter.finish()]:
        if piece.reset:
            shown_answer, shown_reasoning = piece.answer, piece.reasoning
        else:
            shown_answer += piece.answer
            shown_reasoning += piece.reasoning
    return splitter.answer, splitter.reasoning, shown_answer, shown_reasoning


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_recorded_stream_as_it_came(path):
    fixture = _load(path)
    answer, reasoning, shown_answer, shown_reasoning = _run(fixture["chunks"], fixture["opened"])
    assert (answer, reasoning) == (fixture["answer"], fixture["reasoning"])
    assert (shown_answer, shown_reasoning) == (answer, reasoning)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_recorded_stream_split_at_every_boundary(path):
    fixture = _load(path)
    text = "".join(fixture["chunks"])
    expected = (fixture["answer"], fixture["reasoning"]) * 2
    for cut in range(len(text) + 1):
        assert _run([text[:cut], text[cut:]], fixture["opened"]) == expected, cut
    # Every tag cut into single characters, and cut twice anywhere around the first tag.
    assert _run(list(text), fixture["opened"]) == expected
    for first in range(0, min(len(text), 40)):
        for second in range(first, min(len(text), 40)):
            parts = [text[:first], text[first:second], text[second:]]
            assert _run(parts, fixture["opened"]) == expected, (first, second)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_utf8_bytes_split_anywhere(path):
    """A byte-level stream decoded incrementally, as the engine does, splits the same."""
    import codecs

    fixture = _load(path)
    data = "".join(fixture["chunks"]).encode("utf-8")
    for cut in range(len(data) + 1):
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunks = [decoder.decode(data[:cut]), decoder.decode(data[cut:], final=True)]
        assert _run(chunks, fixture["opened"])[:2] == (fixture["answer"], fixture["reasoning"])


def test_unopened_closing_tag_moves_the_text_so_far_to_reasoning():
    splitter = ReasoningSplitter()
    assert splitter.feed("Hmm, let me think").answer == "Hmm, let me think"
    piece = splitter.feed("</think>\n\nYes.")
    assert piece.reset and piece.reasoning == "Hmm, let me think" and piece.answer == "Yes."
    # A later stray closing tag changes nothing.
    splitter.feed(" </think> ok")
    assert splitter.answer == "Yes.  ok" and splitter.reasoning == "Hmm, let me think"


def test_plain_text_with_angle_brackets_passes_through():
    text = "Use a < b and <b>bold</b>, not <thinking>; x<|y"
    assert _run([text], False)[:2] == (text, "")
    assert _run(list(text), False)[:2] == (text, "")


def test_a_thought_block_never_closed_is_all_reasoning():
    splitter = ReasoningSplitter()
    splitter.feed("<think>still going")
    assert splitter.thinking
    splitter.finish()
    assert (splitter.answer, splitter.reasoning) == ("", "still going")


def test_open_after_start_applies_only_before_any_answer():
    splitter = ReasoningSplitter()
    splitter.open()
    splitter.feed("pondering</think>Done")
    assert (splitter.answer, splitter.reasoning) == ("Done", "pondering")


def test_strip_reasoning_for_old_stored_answers():
    assert strip_reasoning("<think>a\nb</think>\n\nAnswer") == "Answer"
    assert strip_reasoning("plain answer") == "plain answer"
    assert (
        strip_reasoning(
            "<|channel|>analysis<|message|>x<|end|><|start|>assistant<|channel|>final<|message|>Hi"
        )
        == "Hi"
    )
