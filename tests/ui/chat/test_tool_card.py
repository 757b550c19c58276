"""A tool call's card: one line, then arguments and the whole result; stored calls on reload."""

from __future__ import annotations

from desktop_chat.ui.chat.tool_card import ToolCard

DONE = {"name": "add", "arguments": {"a": 2, "b": 3}, "result": "5", "error": "", "seconds": 0.25, "status": "done"}  # fmt: skip


def test_collapsed_then_expanded(qtbot) -> None:
    card = ToolCard(DONE)
    qtbot.addWidget(card)
    assert "add" in card.header.text() and "0.2 s" in card.header.text()
    assert card.result.isHidden()
    card.header.click()
    assert not card.result.isHidden() and card.result.toPlainText() == "5"
    assert '"a": 2' in card.arguments.text()


def test_a_huge_result_is_kept_whole(qtbot) -> None:
    record = {**DONE, "name": "huge", "result": "x" * (2 * 1024 * 1024)}
    card = ToolCard(record, theme="dark")
    qtbot.addWidget(card)
    card.set_expanded(True)
    assert len(card.result.toPlainText()) == 2 * 1024 * 1024


def test_failed_denied_and_timed_out_calls_say_so(qtbot) -> None:
    for status, words in (("error", "failed"), ("denied", "not allowed"), ("timeout", "timed out")):
        card = ToolCard({**DONE, "result": "", "status": status, "error": "The reason."})
        qtbot.addWidget(card)
        assert words in card.header.text()
        card.set_expanded(True)
        assert card.result.toPlainText() == "The reason."
