"""Privacy and data page: what the app stores where, how big it is, and deleting all of it."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import paths
from desktop_chat.tasks import TaskRunner
from desktop_chat.ui.chat.suggestion_bar import FlowLayout
from desktop_chat.ui.shell.widgets import plain_label, plain_tooltip

log = logging.getLogger(__name__)


def disk_size(path: Path, cancel: threading.Event | None = None) -> int:
    """Bytes under ``path`` (a file or a folder); unreadable entries count as nothing. Stops
    early (with a partial count) once ``cancel`` is set."""
    try:
        if path.is_file():
            return path.stat().st_size
    except OSError:
        return 0
    total = 0
    for root, _dirs, files in os.walk(path, onerror=lambda _e: None):
        if cancel is not None and cancel.is_set():
            break
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def disk_sizes(locations: dict[str, Path], cancel: threading.Event) -> dict[str, int]:
    """Bytes in each location: a walk of many folders and files, so off the GUI thread."""
    return {name: disk_size(path, cancel) for name, path in locations.items()}


class PrivacyPage(QWidget):
    """Emits ``delete_clicked``; the pane asks for confirmation and tells the app.

    ``shutdown()`` stops a size count still running (the settings pane calls it at exit)."""

    delete_clicked = Signal()
    welcome_again_clicked = Signal()
    sizes_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        statement = plain_label(
            self.tr("Nothing leaves this computer unless you download a model.")
        )
        statement.setObjectName("privacyStatement")
        statement.setWordWrap(True)
        font = statement.font()
        font.setBold(True)  # the one sentence on this page everyone should read
        statement.setFont(font)
        layout.addWidget(statement)
        explain = plain_label(
            self.tr(
                "Your conversations, settings, models and knowledge bases are stored only in "
                "these places:"
            )
        )
        explain.setObjectName("hint")
        explain.setWordWrap(True)
        layout.addWidget(explain)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("locationsTable")
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("Where"), self.tr("Size")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)

        # Lines that wrap: four buttons in one row made the page wider than a small window.
        buttons = FlowLayout()
        self.open_button = QPushButton(self.tr("Open data folder"))
        self.refresh_button = QPushButton(self.tr("Recount sizes"))
        self.welcome_button = QPushButton(self.tr("Show the welcome again"))
        self.delete_button = QPushButton(self.tr("Delete all my data…"))
        self.delete_button.setObjectName("dangerButton")
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.welcome_button)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self.open_data_folder)
        self.refresh_button.clicked.connect(self.refresh)
        self.welcome_button.clicked.connect(self.welcome_again_clicked)
        self.delete_button.clicked.connect(self.delete_clicked)

        self.locations: dict[str, Path] = {}
        self.sizes: dict[str, int] = {}
        self.runner = TaskRunner(self)
        self._count_id = -1
        self._fill()

    def _title(self, name: str) -> str:
        titles = {
            "settings": self.tr("Settings"),
            "conversations": self.tr("Conversations"),
            "models": self.tr("Models"),
            "knowledge": self.tr("Knowledge bases"),
            "logs": self.tr("Logs"),
            "cache": self.tr("Cache"),
        }
        return titles.get(name, name)

    def _fill(self) -> None:
        self.locations = paths.all_locations()
        self.table.setRowCount(len(self.locations))
        for row, (name, path) in enumerate(self.locations.items()):
            self.table.setItem(row, 0, QTableWidgetItem(self._title(name)))
            where = QTableWidgetItem(str(path))
            where.setToolTip(plain_tooltip(str(path)))
            self.table.setItem(row, 1, where)
            size = self.sizes.get(name)
            text = human_size(size) if size is not None else self.tr("counting…")
            self.table.setItem(row, 2, QTableWidgetItem(text))

    @Slot()
    def refresh(self) -> None:
        """Show the locations now and count their sizes in the background; a count already
        running is stopped, and only the newest one's sizes are shown."""
        self._fill()
        self.runner.cancel(self._count_id)
        locations = dict(self.locations)
        task = self.runner.run(
            "size-count",
            lambda context: disk_sizes(locations, context.cancel),
            self._on_sizes,
            self._on_failed,
        )
        self._count_id = task.id if task is not None else -1

    def counting(self) -> bool:
        return self._count_id != -1

    def _on_sizes(self, task_id: int, sizes: object) -> None:
        if task_id != self._count_id:
            return
        self._count_id = -1
        assert isinstance(sizes, dict)
        self.sizes = sizes
        self._fill()
        self.sizes_ready.emit()

    def _on_failed(self, task_id: int, _error: object) -> None:
        if task_id == self._count_id:  # logged by the runner; the sizes stay "counting…"
            self._count_id = -1

    def shutdown(self) -> None:
        self.runner.shutdown()

    def showEvent(self, event) -> None:  # Qt override: count sizes when the page is seen
        super().showEvent(event)
        self.refresh()

    @Slot()
    def open_data_folder(self) -> None:
        folder = paths.home() or paths.data_dir()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            log.warning("could not open %s in the file manager", folder)
