"""The row above the transcript: the chat's title, tokens used, the app's buttons, kiosk's New."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from desktop_chat.ui.shell.widgets import plain_label


def named_label(name: str) -> QLabel:
    """A plain-text label with an object name for the style sheet."""
    label = plain_label()
    label.setObjectName(name)
    return label


class ChatHeader(QWidget):
    """Title and context use on the left; buttons the app adds; New conversation in kiosk view."""

    new_chat_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = named_label("chatHeader")
        # A long title must be cut, not widen the window past the screen.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(80)
        self.context_label = named_label("statusLine")
        self.new_chat_button = QPushButton()  # its text comes from the pane, with the pane's words
        self.new_chat_button.setObjectName("kioskNewChat")
        self.new_chat_button.clicked.connect(self.new_chat_requested)
        self.new_chat_button.hide()
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(24, 8, 24, 4)
        self._row.addWidget(self.title, 1)
        self._row.addWidget(self.context_label)
        self._row.addWidget(self.new_chat_button)
        self._extras: list[QWidget] = []

    def add_widget(self, widget: QWidget) -> None:
        self._row.insertWidget(1, widget)
        self._extras.append(widget)

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("headerButton")
        button.clicked.connect(slot)
        self._row.insertWidget(self._row.count() - 2, button)
        self._extras.append(button)
        return button

    def set_kiosk(self, on: bool) -> None:
        """Kiosk view keeps the title and one button: New conversation."""
        self.context_label.setVisible(not on)
        for widget in self._extras:
            widget.setVisible(not on)
        self.new_chat_button.setVisible(on)
