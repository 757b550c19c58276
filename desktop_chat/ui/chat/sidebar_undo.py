"""The sidebar's undo strip: a deleted conversation waits in it until Undo or its time ends."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from desktop_chat.ui.chat.elided_label import ElidedLabel


class UndoStrip(QFrame):
    """Holds one deleted conversation; emits expired when its time ends, undo on Undo."""

    undo_requested = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoStrip")
        self.timeout_ms = 10_000
        self._pending: int | None = None
        strip = QHBoxLayout(self)
        strip.setContentsMargins(10, 6, 6, 6)
        self.label = ElidedLabel(self.tr("Conversation deleted"), mode=Qt.TextElideMode.ElideMiddle)
        self.label.setObjectName("undoLabel")
        self.button = QPushButton(self.tr("Undo"))
        self.button.setObjectName("linkButton")
        strip.addWidget(self.label, 1)
        strip.addWidget(self.button)
        self.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.expired)
        self.button.clicked.connect(self.undo_requested)

    def offer(self, conversation_id: int, title: str) -> None:
        """Show the strip for a conversation just deleted and start its time."""
        self._pending = conversation_id
        # Cut to the strip's width as it is painted: a long title must not widen the window.
        text = self.tr("“{title}” deleted").format(title=title) if title else ""
        self.label.setText(text or self.tr("Conversation deleted"))
        self.show()
        self._timer.start(self.timeout_ms)

    def take(self) -> int | None:
        """End the undo window, returning the conversation that was waiting in it."""
        conversation_id, self._pending = self._pending, None
        self._timer.stop()
        self.hide()
        return conversation_id

    def pending(self) -> int | None:
        """The conversation that Undo would bring back, if any."""
        return self._pending
