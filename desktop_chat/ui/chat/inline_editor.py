"""Editing a question in place: its card becomes an editor; Enter resends it as a new branch."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop_chat.ui.chat.composer import handle_send_keys


class EditBox(QPlainTextEdit):
    """Enter submits, Shift+Enter adds a line, Esc cancels (as in the composer)."""

    submitted = Signal()
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not handle_send_keys(self, event, self.submitted.emit, self.cancelled.emit):
            super().keyPressEvent(event)


class InlineEditor(QWidget):
    """The question's text in an editor with Send and Cancel under it."""

    submitted = Signal(str)  # the edited text, stripped; never empty
    cancelled = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineEditor")
        self.box = EditBox()
        self.box.setObjectName("composer")
        self.box.setAccessibleName(self.tr("Edit your message"))
        self.box.setTabChangesFocus(True)
        self.box.setPlainText(text)
        lines = max(2, min(10, text.count("\n") + 2))
        self.box.setFixedHeight(self.box.fontMetrics().lineSpacing() * lines + 20)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setProperty("primary", True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addLayout(row)
        self.box.submitted.connect(self._submit)
        self.send_button.clicked.connect(self._submit)
        self.box.cancelled.connect(self.cancelled)
        self.cancel_button.clicked.connect(self.cancelled)

    def _submit(self) -> None:
        text = self.box.toPlainText().strip()
        if text:
            self.submitted.emit(text)

    def focus(self) -> None:
        self.box.setFocus()
        cursor = self.box.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.box.setTextCursor(cursor)
