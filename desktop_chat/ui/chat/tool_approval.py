"""The inline question before a tool runs: which tool, on which server, with what arguments;
Allow once, Always for this tool, or Deny (chat.tool_loop's ALLOW_ONCE / ALWAYS / DENY)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_chat.chat.tool_loop import ALLOW_ONCE, ALWAYS, DENY
from desktop_chat.ui.shell.theme import PALETTES, resolve
from desktop_chat.ui.shell.widgets import plain_label

ARGUMENTS_SHOWN = 600  # characters of the arguments in the question; the rest on hover


class ToolApproval(QFrame):
    """Asks once; ``decided`` carries the answer, then the widget disables itself."""

    decided = Signal(str)

    def __init__(
        self,
        name: str,
        arguments: dict[str, Any],
        server: str = "",
        theme: str = "light",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolApproval")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.decision: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        if server:
            question = self.tr("The model wants to run the tool {0} on {1}.").format(name, server)
        else:
            question = self.tr("The model wants to run the tool {0}.").format(name)
        self.question = plain_label(question, self)
        self.question.setObjectName("toolApprovalQuestion")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        text = json.dumps(arguments, ensure_ascii=False, indent=1)
        shown = text if len(text) <= ARGUMENTS_SHOWN else text[:ARGUMENTS_SHOWN] + " …"
        self.arguments = plain_label(self.tr("With: {0}").format(shown), self)
        self.arguments.setObjectName("toolApprovalArguments")
        self.arguments.setWordWrap(True)
        self.arguments.setToolTip(text[:20_000])
        layout.addWidget(self.arguments)
        row = QHBoxLayout()
        self.allow_button = QPushButton(self.tr("Allow once"), self)
        self.allow_button.setProperty("primary", True)
        self.always_button = QPushButton(self.tr("Always for this tool"), self)
        self.deny_button = QPushButton(self.tr("Deny"), self)
        for button, decision in (
            (self.allow_button, ALLOW_ONCE),
            (self.always_button, ALWAYS),
            (self.deny_button, DENY),
        ):
            button.clicked.connect(lambda _checked=False, d=decision: self.decide(d))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.set_theme(theme)

    @Slot(str)
    def decide(self, decision: str) -> None:
        if self.decision is not None:
            return
        self.decision = decision
        for button in (self.allow_button, self.always_button, self.deny_button):
            button.setEnabled(False)
        self.decided.emit(decision)

    def set_theme(self, theme: str) -> None:
        p = PALETTES[resolve(theme)]
        self.setStyleSheet(
            f"#toolApproval {{ background: {p['info_bg']}; border: 1px solid {p['border']};"
            " border-radius: 6px; }"
            f"#toolApprovalQuestion {{ color: {p['info_text']}; font-weight: 600; }}"
            f"#toolApprovalArguments {{ color: {p['muted']}; }}"
        )
