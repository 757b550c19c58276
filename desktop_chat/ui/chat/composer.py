"""The message box: Enter sends, Shift+Enter adds a line, Esc stops, and it grows with its text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def handle_send_keys(
    edit: QPlainTextEdit,
    event: QKeyEvent,
    submit: Callable[[], object],
    escape: Callable[[], object],
) -> bool:
    """Enter submits, Shift+Enter adds a line, Esc escapes; True when the key was taken.

    The composer and the in-place question editor share these keys, so they behave alike."""
    key = event.key()
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            edit.insertPlainText("\n")
        else:
            submit()
        event.accept()
        return True
    if key == Qt.Key.Key_Escape:
        escape()
        event.accept()
        return True
    return False


class Composer(QPlainTextEdit):
    submitted = Signal()
    stop_requested = Signal()
    files_dropped = Signal(list)  # local file paths dropped on it: documents to attach

    MIN_LINES = 2
    MAX_LINES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setPlaceholderText(
            self.tr("Message the assistant — Enter to send, Shift+Enter for a new line")
        )
        self.setTabChangesFocus(True)
        self.document().contentsChanged.connect(self._fit_height)
        self._fit_height()

    @staticmethod
    def _dropped_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [url.toLocalFile() for url in urls if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._dropped_files(event)
        if not files:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.files_dropped.emit(files)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not handle_send_keys(self, event, self.submitted.emit, self.stop_requested.emit):
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A new font (leaving kiosk view's large type) needs the height worked out again.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()

    def _fit_height(self) -> None:
        metrics = self.fontMetrics()
        lines = max(self.MIN_LINES, min(self.MAX_LINES, self.document().lineCount()))
        margins = self.contentsMargins()
        frame = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        self.setFixedHeight(metrics.lineSpacing() * lines + frame + 6)
