"""Kiosk mode's state for the Chat pane: whether it is on, and the idle reset to a fresh chat."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_chat.chat.controller import ChatController
from desktop_chat.ui.chat.composer import Composer

# A kiosk conversation left this long unused starts afresh (Settings: kiosk_idle_minutes).
KIOSK_IDLE_MS = 3 * 60_000


class KioskMode(QObject):
    """On or off; while on, a conversation nobody touches for a while is cleared away.

    Typing and an answer streaming in count as use. When the time is up with something on
    screen, the composer is emptied and ``idle_reset`` asks the pane for a fresh chat.
    """

    idle_reset = Signal()

    def __init__(self, controller: ChatController, composer: Composer, parent: QObject) -> None:
        super().__init__(parent)
        self._controller = controller
        self._composer = composer
        self.on = False
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(KIOSK_IDLE_MS)
        self.idle_timer.timeout.connect(self._on_idle)
        composer.textChanged.connect(self.activity)
        controller.stream_chunk.connect(self.activity)

    def set_on(self, on: bool) -> None:
        self.on = on
        if not on:
            self.idle_timer.stop()

    def set_idle_minutes(self, minutes: int) -> None:
        """How long a kiosk conversation may sit unused before a fresh one starts (0: never)."""
        self.idle_timer.setInterval(max(0, minutes) * 60_000)
        self.activity()

    @Slot()
    def activity(self, *_args: object) -> None:
        if self.on and self.idle_timer.interval() > 0:
            self.idle_timer.start()

    @Slot()
    def _on_idle(self) -> None:
        if not self.on:
            return
        if self._controller.busy:
            self.idle_timer.start()  # an answer is still coming: wait for the next turn
            return
        if self._controller.branch or self._composer.toPlainText():
            self._composer.clear()
            self.idle_reset.emit()
