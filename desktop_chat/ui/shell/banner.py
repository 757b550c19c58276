"""A strip across the top of a pane that says what went wrong (or is going on) and what to do."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton, QWidget

from desktop_chat.ui.shell.widgets import plain_label


class Banner(QFrame):
    action_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        self.label = plain_label()
        self.label.setWordWrap(True)
        # Sentences carry file names, model names and error text: never read them as markup.
        self.label.setObjectName("bannerText")
        layout.addWidget(self.label, 1)
        self.button = QPushButton()
        self.button.hide()
        layout.addWidget(self.button)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._action = ""
        self.button.clicked.connect(lambda: self.action_clicked.emit(self._action))
        self.hide()

    def _show(self, kind: str, text: str, button: str, action: str) -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self._action = action
        self.button.setText(button)
        self.button.setVisible(bool(button))
        self.show()

    def show_error(self, text: str, button: str = "", action: str = "") -> None:
        self._show("error", text, button, action)

    def show_info(self, text: str, button: str = "", action: str = "") -> None:
        self._show("info", text, button, action)

    @property
    def text(self) -> str:
        return self.label.text()
