"""The main window: a navigation bar, the panes, the menus and the keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import __version__
from desktop_chat.ui.shell import ui_state
from desktop_chat.ui.shell.widgets import plain_label

SHORTCUTS = (
    ("Ctrl+N", "New chat"),
    ("Ctrl+K", "Search all conversations"),
    ("Enter", "Send"),
    ("Shift+Enter", "New line in the message"),
    ("Esc", "Stop the answer"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4", "Chat / Models / Knowledge / Settings"),
    ("Ctrl+,", "Settings"),
    ("F11", "Kiosk view on / off"),
    ("F2", "Rename the selected conversation"),
)


# The navigation bar's width: this wide when there is room, down to compact when not.
NAV_WIDE_PX = 204
NAV_COMPACT_PX = 150


class NavBar(QWidget):
    """The navigation column: asks for NAV_WIDE_PX, gives way to NAV_COMPACT_PX.

    Its minimum is always the compact width, so the window's minimum width never depends
    on how wide the bar happens to be now (a small screen must always fit the window).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(NAV_COMPACT_PX)
        self.setMaximumWidth(NAV_WIDE_PX)

    def sizeHint(self) -> QSize:
        return QSize(NAV_WIDE_PX, super().sizeHint().height())


class MainWindow(QMainWindow):
    closing = Signal()
    new_chat_requested = Signal()
    search_requested = Signal()
    kiosk_toggled = Signal(bool)
    export_requested = Signal(str)  # "current" or "all"
    import_requested = Signal()
    about_requested = Signal()

    def __init__(
        self, chat: QWidget, models: QWidget, settings: QWidget, knowledge: QWidget | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Desktop Chat"))
        self.resize(1240, 800)
        self.chat_pane = chat
        self.models_pane = models
        self.settings_pane = settings
        self.kiosk = False
        # Asked before kiosk view is left from the keyboard (the app checks the shop's PIN).
        self.kiosk_exit_allowed: Callable[[], bool] = lambda: True
        self._was_maximized = False

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = NavBar()
        self.nav.setObjectName("navBar")
        nav_layout = QVBoxLayout(self.nav)
        nav_layout.setContentsMargins(8, 8, 8, 8)
        nav_layout.setSpacing(2)
        title = plain_label(self.tr("Desktop Chat"))
        title.setObjectName("appTitle")
        title.setWordWrap(True)  # on two lines in the compact navigation bar
        nav_layout.addWidget(title)
        self.stack = QStackedWidget()
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_buttons: list[QPushButton] = []
        panes = [(self.tr("Chat"), chat), (self.tr("Models"), models)]
        if knowledge is not None:
            panes.append((self.tr("Knowledge"), knowledge))
        panes.append((self.tr("Settings"), settings))
        for index, (label, pane) in enumerate(panes):
            button = QPushButton(label)
            button.setCheckable(True)
            self.nav_group.addButton(button, index)
            self.nav_buttons.append(button)
            nav_layout.addWidget(button)
            self.stack.addWidget(pane)
        self._settings_index = len(panes) - 1
        nav_layout.addStretch(1)
        version = plain_label(f"v{__version__}")
        version.setObjectName("hint")
        nav_layout.addWidget(version)
        row.addWidget(self.nav)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav_group.idClicked.connect(self.show_pane)
        self.nav_buttons[0].setChecked(True)
        for index in range(len(panes)):
            QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self, lambda i=index: self.show_pane(i))
        QShortcut(QKeySequence("Ctrl+,"), self, self.show_settings)
        self._build_menus()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("New chat"), "Ctrl+N", self.new_chat_requested.emit)
        self._action(
            file_menu, self.tr("Search conversations…"), "Ctrl+K", self.search_requested.emit
        )
        file_menu.addSeparator()
        self._action(
            file_menu,
            self.tr("Export this conversation…"),
            "",
            lambda: self.export_requested.emit("current"),
        )
        self._action(
            file_menu,
            self.tr("Export all conversations…"),
            "",
            lambda: self.export_requested.emit("all"),
        )
        self._action(file_menu, self.tr("Import conversations…"), "", self.import_requested.emit)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Quit"), "Ctrl+Q", self.close)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.kiosk_action = self._action(view_menu, self.tr("Kiosk view"), "F11", self.toggle_kiosk)
        self.kiosk_action.setCheckable(True)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("About Desktop Chat"), "", self.about_requested.emit)

    def _action(self, menu, text: str, shortcut: str, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts keep working while the menu bar is hidden (kiosk)
        return action

    def toggle_kiosk(self) -> None:
        if self.kiosk and not self.kiosk_exit_allowed():
            return  # the shop's PIN was not given: the customer stays in kiosk view
        self.set_kiosk(not self.kiosk)

    def set_kiosk(self, on: bool) -> None:
        if on and not self.kiosk:
            self._was_maximized = self.isMaximized()
        self.kiosk = on
        if self.isVisible():  # full screen for customers; back to how it was after
            if on:
                self.showFullScreen()
            elif self._was_maximized:
                self.showMaximized()
            else:
                self.showNormal()
        self.kiosk_action.setChecked(on)
        self.nav.setVisible(not on)
        self.menuBar().setVisible(not on)
        self.show_chat()
        self.kiosk_toggled.emit(on)

    def show_pane(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)

    def show_chat(self) -> None:
        self.show_pane(0)

    def show_models(self) -> None:
        self.show_pane(1)

    def show_settings(self) -> None:
        self.show_pane(self._settings_index)

    def restore_ui_state(self, pane_too: bool = True) -> None:
        """Geometry, splitters and (``pane_too``) the pane of the last run (ui_state.json)."""
        pane = ui_state.restore_window(self)
        if pane_too and pane is not None and 0 <= pane < len(self.nav_buttons):
            self.show_pane(pane)

    def closeEvent(self, event: QCloseEvent) -> None:
        ui_state.save_window(self, self.stack.currentIndex())
        self.closing.emit()
        super().closeEvent(event)
