"""A card per tool call in an answer: the tool, its arguments, its result or error, its time;
collapsed to one line, a click shows the rest. The result is kept whole (read-only text)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from desktop_chat.ui.shell.theme import PALETTES, resolve
from desktop_chat.ui.shell.widgets import plain_label

RESULT_MAX_HEIGHT = 220


class ToolCard(QFrame):
    """One record of messages.tool_calls: {name, arguments, result, error, seconds, status}."""

    def __init__(
        self, record: dict[str, Any], theme: str = "light", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.record = record
        self.expanded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        self.header = QToolButton(self)
        self.header.setObjectName("toolCardHeader")
        self.header.setAutoRaise(True)
        self.header.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header.clicked.connect(self.toggle)
        layout.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        arguments = record.get("arguments") or {}
        self.arguments = plain_label(
            self.tr("Arguments: {0}").format(json.dumps(arguments, ensure_ascii=False, indent=1)),
            self,
        )
        self.arguments.setObjectName("toolCardText")
        self.arguments.setWordWrap(True)
        self.arguments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.arguments)
        self.result = QPlainTextEdit(self)
        self.result.setObjectName("toolCardResult")
        self.result.setReadOnly(True)
        error = str(record.get("error") or "")
        result = str(record.get("result") or "")
        self.result.setPlainText(result if result else error)
        # As tall as a short result needs, up to RESULT_MAX_HEIGHT (then it scrolls).
        lines = min(12, (result or error).count("\n") + 1 + len(result or error) // 100)
        margins = 2 * self.result.document().documentMargin() + 2 * self.result.frameWidth()
        height = int(lines * self.result.fontMetrics().lineSpacing() + margins + 18)
        self.result.setFixedHeight(min(RESULT_MAX_HEIGHT, height))
        layout.addWidget(self.result)
        self.error = plain_label(error, self)
        self.error.setObjectName("toolCardError")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.set_theme(theme)
        self.set_expanded(False)

    def summary(self) -> str:
        status = str(self.record.get("status") or "done")
        name = str(self.record.get("name") or "?")
        seconds = float(self.record.get("seconds") or 0.0)
        words = {
            "done": self.tr("Used {0} · {1:.1f} s"),
            "error": self.tr("{0} failed · {1:.1f} s"),
            "timeout": self.tr("{0} timed out · {1:.1f} s"),
            "denied": self.tr("{0} was not allowed"),
            "cancelled": self.tr("{0} was stopped"),
        }.get(status, self.tr("Used {0} · {1:.1f} s"))
        return words.format(name, seconds)

    @Slot()
    def toggle(self) -> None:
        self.set_expanded(not self.expanded)

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        has_result = bool(self.record.get("result"))
        self.arguments.setVisible(expanded)
        self.result.setVisible(expanded and (has_result or bool(self.record.get("error"))))
        self.error.setVisible(expanded and has_result and bool(self.record.get("error")))
        arrow = "▾" if expanded else "▸"
        self.header.setText(f"{arrow} {self.summary()}")
        self.header.setToolTip(
            self.tr("Hide the call") if expanded else self.tr("Show the arguments and the result")
        )

    def set_theme(self, theme: str) -> None:
        p = PALETTES[resolve(theme)]
        self.setStyleSheet(
            f"#toolCard {{ background: {p['side']}; border-left: 3px solid {p['accent']};"
            " border-radius: 4px; }"
            f"#toolCardHeader {{ color: {p['muted']}; border: none; padding: 2px 0; }}"
            f"#toolCardHeader:hover {{ color: {p['accent']}; }}"
            f"#toolCardText {{ color: {p['muted']}; }}"
            f"#toolCardError {{ color: {p['error_text']}; }}"
            f"#toolCardResult {{ background: {p['input']}; color: {p['text']};"
            f" border: 1px solid {p['border']}; }}"
        )
