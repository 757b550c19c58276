"""The row above the transcript: the chat's title, tokens used, the app's buttons, kiosk's New."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from desktop_chat.ui.chat.elided_label import ElidedLabel
from desktop_chat.ui.shell.widgets import plain_label


def named_label(name: str) -> QLabel:
    """A plain-text label with an object name for the style sheet."""
    label = plain_label()
    label.setObjectName(name)
    return label


class ChatHeader(QWidget):
    """Title and context use on the left; buttons the app adds; New conversation in kiosk view.

    The title is cut with "…" rather than widen the window; when the app's buttons do not
    fit beside it they move into a "More" menu, so the row never needs more than it has.
    """

    new_chat_requested = Signal()
    sidebar_toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHeaderRow")
        self.sidebar_button = QToolButton()
        self.sidebar_button.setObjectName("sidebarToggle")
        self.sidebar_button.setText("☰")
        self.sidebar_button.setAutoRaise(True)
        self.sidebar_button.setToolTip(self.tr("Show or hide the conversations"))
        self.sidebar_button.setAccessibleName(self.tr("Conversations"))
        self.sidebar_button.clicked.connect(self.sidebar_toggled)
        self.sidebar_button.hide()
        self.title = ElidedLabel()
        self.title.setObjectName("chatHeader")
        self.title.setMinimumWidth(60)
        self.context_label = named_label("statusLine")
        # "Remote · <endpoint>": this chat's text goes to another machine (the pane sets it).
        self.remote_badge = named_label("remoteBadge")
        # White on amber reads (5:1) on the light and the dark theme alike.
        self.remote_badge.setStyleSheet(
            "QLabel { background: #b45309; color: #ffffff; border-radius: 9px;"
            " padding: 1px 8px; font-weight: 600; }"
        )
        self.remote_badge.hide()
        self.new_chat_button = QPushButton()  # its text comes from the pane, with the pane's words
        self.new_chat_button.setObjectName("kioskNewChat")
        self.new_chat_button.clicked.connect(self.new_chat_requested)
        self.new_chat_button.hide()
        self.more_button = QToolButton()
        self.more_button.setObjectName("headerMore")
        self.more_button.setText("⋯")
        self.more_button.setToolTip(self.tr("More"))
        self.more_button.setAccessibleName(self.tr("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setMenu(QMenu(self.more_button))
        self.more_button.hide()
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(16, 8, 16, 4)
        self._row.addWidget(self.sidebar_button)
        self._row.addWidget(self.title, 1)
        self._row.addWidget(self.remote_badge)
        self._row.addWidget(self.context_label)
        self._row.addWidget(self.more_button)
        self._row.addWidget(self.new_chat_button)
        self._extras: list[QWidget] = []
        self._buttons: list[tuple[QPushButton, QAction]] = []
        self._kiosk = False
        self._folded = False

    def add_widget(self, widget: QWidget) -> None:
        self._row.insertWidget(2, widget)
        self._extras.append(widget)

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("headerButton")
        button.clicked.connect(slot)
        self._row.insertWidget(self._row.indexOf(self.more_button), button)
        self._extras.append(button)
        action = QAction(text, self)
        action.triggered.connect(slot)
        self.more_button.menu().addAction(action)
        self._buttons.append((button, action))
        self._fold()
        return button

    def set_kiosk(self, on: bool) -> None:
        """Kiosk view keeps the title and one button: New conversation."""
        self._kiosk = on
        self.context_label.setVisible(not on)
        for widget in self._extras:
            widget.setVisible(not on)
        self.new_chat_button.setVisible(on)
        self._fold()

    def set_narrow(self, narrow: bool) -> None:
        """A narrow pane shows the button that brings back the conversation list."""
        self.sidebar_button.setVisible(narrow and not self._kiosk)

    @property
    def folded(self) -> bool:
        """Whether the app's buttons are in the More menu for want of room."""
        return self._folded

    def minimumSizeHint(self) -> QSize:
        # Without the buttons that fold away: they must never make the window wider.
        hint = super().minimumSizeHint()
        if self._folded or self._kiosk:
            return hint
        folding = sum(b.minimumSizeHint().width() + self._row.spacing() for b, _ in self._buttons)
        more = self.more_button.sizeHint().width() + self._row.spacing()
        return QSize(max(0, hint.width() - folding + more), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fold()

    @Slot()
    def _fold(self) -> None:
        if self._kiosk or not self._buttons:
            self._folded = False
            self.more_button.hide()
            return
        margins = self._row.contentsMargins()
        spacing = self._row.spacing()
        needed = margins.left() + margins.right() + self.title.minimumWidth()
        # A context label still empty will soon say "1234 / 8192 tokens": leave it room.
        context = max(
            self.context_label.sizeHint().width(),
            self.context_label.fontMetrics().horizontalAdvance("00000 / 00000 tokens"),
        )
        needed += context + spacing
        if self.sidebar_button.isVisibleTo(self):
            needed += self.sidebar_button.sizeHint().width() + spacing
        for widget in self._extras:
            needed += widget.sizeHint().width() + spacing
        fold = needed > self.width()
        self._folded = fold
        for button, _action in self._buttons:
            button.setVisible(not fold)
        self.more_button.setVisible(fold)
