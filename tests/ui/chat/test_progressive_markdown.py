"""Streaming Markdown: finished blocks once, the open one again; equal to the final render."""

from __future__ import annotations

import random

import pytest
from PySide6.QtGui import QFont

from desktop_chat.ui.chat.markdown import to_html
from desktop_chat.ui.chat.message_view import MessageView
from desktop_chat.ui.chat.progressive_markdown import ProgressiveMarkdown

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

ANSWER = (
    "# Refunds\n\nRefunds take **five days** [1].\n\n- keep the receipt\n- pack it well\n\n"
    "- loose item after a gap\n\n```python\ndef refund(order):\n\n    return order.total\n```\n\n"
    "> Quoted policy\nlazy line\n\n| step | days |\n|---|---|\n| 1 | 2 |\n\n"
    "Setext heading\n===\n\nlast paragraph\nstill going"
)


def stream(text: str, chunks: list[int]) -> ProgressiveMarkdown:
    progressive = ProgressiveMarkdown()
    position = 0
    for size in chunks:
        position = min(len(text), position + size)
        progressive.update(text[:position])
    if position < len(text):
        progressive.update(text)
    return progressive


@pytest.mark.parametrize("seed", range(8))
def test_streamed_in_any_chunks_it_ends_equal_to_the_final_render(seed):
    rng = random.Random(seed)
    chunks = [rng.randint(1, 12) for _ in range(len(ANSWER))]
    assert stream(ANSWER, chunks).html == to_html(ANSWER)


def test_one_character_at_a_time_too():
    assert stream(ANSWER, [1] * len(ANSWER)).html == to_html(ANSWER)


def test_finished_blocks_are_rendered_once_so_the_work_is_linear():
    paragraph = "A sentence of the answer that goes on for a while. " * 4 + "\n\n"
    short, long = paragraph * 20, paragraph * 80
    work_short = stream(short, [16] * len(short)).renders
    work_long = stream(long, [16] * len(long)).renders
    # Four times the text, about four times the work (quadratic would be sixteen).
    assert work_long <= 4.5 * work_short
    progressive = stream(long, [16] * len(long))
    assert len(progressive.finished_html) >= 79


def test_an_unclosed_code_fence_stays_one_open_block():
    progressive = ProgressiveMarkdown()
    update = progressive.update("Look:\n\n```python\nx = 1\n\ny = 2\n")
    assert "Look:" in update.finished
    assert "```" not in update.open and "x" in update.open and "y" in update.open


def test_a_streaming_answer_shows_markdown_before_it_ends(qtbot):
    view = MessageView("assistant", streaming=True)
    qtbot.addWidget(view)
    for piece in ("Refunds take **five", " days**.\n\n```py", "thon\nprint(1)\n", "```\n\nMore"):
        view.append(piece)
    body = view.stream_body
    assert body is not None
    shown = body.toPlainText()
    assert "**" not in shown and "```" not in shown and "print(1)" in shown
    cursor = body.document().find("five days")
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    view.finish()
    assert view.body.toPlainText().split() == shown.split()


def test_a_continued_answer_keeps_its_markdown(qtbot):
    view = MessageView("assistant", streaming=True)
    qtbot.addWidget(view)
    view.set_text("```python\nprint(1)\n```\n\nAnd then")
    view.append(" more.")
    shown = view.stream_body.toPlainText()
    assert "```" not in shown and "And then more." in shown


def test_a_huge_answer_falls_back_to_plain_text_while_streaming(qtbot):
    view = MessageView("assistant", streaming=True)
    qtbot.addWidget(view)
    view.append("**x** " * 3000)
    assert view.stream_body.plain
    assert "**x**" in view.stream_body.toPlainText()
