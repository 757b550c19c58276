"""The context meter: estimates until the engine counts, grows with a streaming answer."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop_chat.store import Message
from desktop_chat.ui.chat.meter import ContextMeter, estimate_tokens


def message(number: int, role: str, content: str, tokens: int | None = None) -> Message:
    return Message(
        id=number, conversation_id=1, parent_id=number - 1 or None, role=role,
        content=content, created=0.0, tokens=tokens,
    )  # fmt: skip


def test_an_estimate_until_counted_then_the_count_per_branch(qtbot):
    label = QLabel()
    meter = ContextMeter(label)
    branch = [message(1, "user", "x" * 400), message(2, "assistant", "y" * 40, tokens=9)]
    meter.show_branch(1, branch, 2048)
    assert label.text() == f"≈ {estimate_tokens(branch)} / 2048 tokens"
    meter.counted(150, 2048)
    assert label.text() == "150 / 2048 tokens"
    meter.streamed("a" * 40)  # about ten tokens more
    assert label.text() == "160 / 2048 tokens"
    meter.show_branch(1, branch[:1], 2048)  # another branch: not the one counted
    assert label.text().startswith("≈")
    meter.show_branch(1, branch, 2048)
    assert label.text() == "150 / 2048 tokens"
    meter.show_branch(None, [], 2048)
    assert label.text() == ""
