"""The main window: a navigation bar and the Chat, Models and Settings panes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import __version__


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self, chat: QWidget, models: QWidget, settings: QWidget) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Desktop Chat"))
        self.resize(1180, 780)
        self.chat_pane = chat
        self.models_pane = models
        self.settings_pane = settings

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        nav = QWidget()
        nav.setObjectName("navBar")
        nav.setFixedWidth(200)
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(8, 8, 8, 8)
        nav_layout.setSpacing(2)
        title = QLabel(self.tr("Desktop Chat"))
        title.setObjectName("appTitle")
        nav_layout.addWidget(title)
        self.stack = QStackedWidget()
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_buttons: list[QPushButton] = []
        for index, (label, pane) in enumerate(
            ((self.tr("Chat"), chat), (self.tr("Models"), models), (self.tr("Settings"), settings))
        ):
            button = QPushButton(label)
            button.setCheckable(True)
            self.nav_group.addButton(button, index)
            self.nav_buttons.append(button)
            nav_layout.addWidget(button)
            self.stack.addWidget(pane)
        nav_layout.addStretch(1)
        version = QLabel(f"v{__version__}")
        version.setObjectName("hint")
        nav_layout.addWidget(version)
        row.addWidget(nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav_group.idClicked.connect(self.show_pane)
        self.nav_buttons[0].setChecked(True)
        for index, key in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            QShortcut(QKeySequence(key), self, lambda i=index: self.show_pane(i))
        QShortcut(QKeySequence("Ctrl+,"), self, lambda: self.show_pane(2))

    def show_pane(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)

    def show_chat(self) -> None:
        self.show_pane(0)

    def show_models(self) -> None:
        self.show_pane(1)

    def show_settings(self) -> None:
        self.show_pane(2)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
