"""The inline approval: three answers, asked once, arguments shown as plain text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_chat.chat import tool_loop
from desktop_chat.ui.chat import tool_approval
from desktop_chat.ui.chat.tool_approval import ToolApproval


def test_the_decisions_are_the_tool_loops() -> None:
    assert (tool_approval.ALLOW_ONCE, tool_approval.ALWAYS, tool_approval.DENY) == (
        tool_loop.ALLOW_ONCE, tool_loop.ALWAYS, tool_loop.DENY,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("button", "decision"),
    [("allow_button", "once"), ("always_button", "always"), ("deny_button", "deny")],
)
def test_each_button_decides_once(qtbot, button, decision) -> None:
    widget = ToolApproval("add", {"a": 2, "b": "<b>3</b>"}, "test", theme="dark")
    qtbot.addWidget(widget)
    assert "add" in widget.question.text() and "test" in widget.question.text()
    assert "<b>3</b>" in widget.arguments.text()  # plain text: markup stays visible
    with qtbot.waitSignal(widget.decided) as signal:
        qtbot.mouseClick(getattr(widget, button), Qt.MouseButton.LeftButton)
    assert signal.args == [decision]
    assert not widget.deny_button.isEnabled()
    widget.decide("once")  # a second answer is ignored
    assert widget.decision == decision


def test_long_arguments_are_cut_in_the_question(qtbot) -> None:
    widget = ToolApproval("echo", {"text": "x" * 5000})
    qtbot.addWidget(widget)
    assert len(widget.arguments.text()) < 800 and widget.arguments.text().endswith("…")
