"""A message's footer row: its statistics, Copy (saying "Copied" after) and its actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from desktop_chat.ui.shell.widgets import plain_label

# How long a Copy button says "Copied" after a copy.
COPIED_MS = 1500


class MessageToolbar:
    """The footer of one message card; its buttons are the card's children (styled as such).

    Its strings keep the card's translation context (MessageView), where they were first.

    ``on_action`` gets the name of the action a button asks for ("copy" for Copy as
    Markdown); ``copy_plain`` copies the message as it reads on screen.
    """

    def __init__(
        self, card: QWidget, on_action: Callable[[str], None], copy_plain: Callable[[], None]
    ) -> None:
        self._card = card
        self._on_action = on_action
        self.kiosk = False
        self.row = QHBoxLayout()
        self.row.setSpacing(4)
        self.meta_label = plain_label()
        self.meta_label.setObjectName("metaLabel")
        self.row.addWidget(self.meta_label)
        self.row.addStretch(1)
        self.copy_button = self._tool(QCoreApplication.translate("MessageView", "Copy"), "copy")
        self.copy_button.setToolTip(
            QCoreApplication.translate("MessageView", "Copy the message as Markdown")
        )
        menu = QMenu(self.copy_button)
        menu.addAction(
            QCoreApplication.translate("MessageView", "Copy as Markdown"), lambda: on_action("copy")
        )
        menu.addAction(QCoreApplication.translate("MessageView", "Copy as plain text"), copy_plain)
        self.copy_button.setMenu(menu)
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.row.addWidget(self.copy_button)
        self._copied = QTimer(card)
        self._copied.setSingleShot(True)
        self._copied.setInterval(COPIED_MS)
        self._copied.timeout.connect(
            lambda: self.copy_button.setText(QCoreApplication.translate("MessageView", "Copy"))
        )
        self.actions: dict[str, QToolButton] = {"copy": self.copy_button}

    def _tool(self, label: str, action: str) -> QToolButton:
        button = QToolButton(self._card)
        button.setText(label)
        button.setObjectName("messageAction")
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self._on_action(action))
        return button

    def add_action(self, label: str, action: str) -> QToolButton:
        """A button for ``action``, before Copy; hidden in kiosk view."""
        button = self._tool(label, action)
        self.row.insertWidget(self.row.count() - 1, button)
        self.actions[action] = button
        button.setVisible(not self.kiosk)
        return button

    def set_kiosk(self, on: bool) -> None:
        """A customer sees Copy only: no editing, no statistics."""
        self.kiosk = on
        for action, button in self.actions.items():
            button.setVisible(action == "copy" or not on)
        self.meta_label.setVisible(not on)

    def copied(self) -> None:
        """Say "Copied" on the Copy button for a moment."""
        self.copy_button.setText(QCoreApplication.translate("MessageView", "Copied"))
        self._copied.start()
