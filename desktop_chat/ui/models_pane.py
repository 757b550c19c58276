"""The Models pane: the GGUF files on this computer, what each one is, and which one is loaded."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import paths
from desktop_chat.models import starter
from desktop_chat.models.gguf_info import InvalidModelFile, read_gguf_info
from desktop_chat.ui.banner import Banner

log = logging.getLogger(__name__)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def local_model_files() -> list[Path]:
    """The starter model (when installed) and every GGUF in the models folder."""
    found: list[Path] = []
    bundled = starter.smollm2_path()
    if bundled is not None:
        found.append(bundled)
    found.extend(sorted(paths.models_dir().glob("*.gguf")))
    return found


class ModelsPane(QWidget):
    load_requested = Signal(Path)

    COLUMNS = ("Name", "Architecture", "Parameters", "Quantization", "Size", "Context", "Template")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = QLabel(self.tr("Models"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Add a GGUF file…"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setProperty("primary", True)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(self._on_import)
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button.clicked.connect(self._on_load)
        self.current: Path | None = None
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.tree.clear()
        files = local_model_files()
        for path in files:
            item = QTreeWidgetItem()
            item.setData(0, Qt.ItemDataRole.UserRole, str(path))
            try:
                info = read_gguf_info(path)
            except InvalidModelFile as error:
                item.setText(0, path.name)
                item.setText(1, self.tr("invalid"))
                item.setToolTip(0, str(error))
                item.setDisabled(True)
            else:
                item.setText(0, info.name + ("  ●" if path == self.current else ""))
                item.setText(1, info.architecture)
                item.setText(2, info.parameters_label)
                item.setText(3, info.quantization)
                item.setText(4, human_size(info.file_size))
                item.setText(5, str(info.context_length or "?"))
                item.setText(6, self.tr("yes") if info.chat_template else self.tr("none"))
                item.setToolTip(0, str(path))
            self.tree.addTopLevelItem(item)
        for column in range(len(self.COLUMNS)):
            self.tree.resizeColumnToContents(column)
        if not files:
            self.hint.setText(
                self.tr(
                    "No models yet. Install the starter model with "
                    "pip install 'desktop-chat[starter]', or put a .gguf file in {folder} "
                    "and press Refresh."
                ).format(folder=paths.models_dir())
            )
        else:
            self.hint.setText(
                self.tr("Double-click a model to load it. Files live in {folder}.").format(
                    folder=paths.models_dir()
                )
            )

    def set_current(self, path: Path | None) -> None:
        self.current = path
        self.refresh()

    def _selected_path(self) -> Path | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return Path(item.data(0, Qt.ItemDataRole.UserRole))

    @Slot()
    def _on_load(self) -> None:
        path = self._selected_path()
        if path is not None:
            self.load_requested.emit(path)

    @Slot(QTreeWidgetItem, int)
    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        self.load_requested.emit(Path(item.data(0, Qt.ItemDataRole.UserRole)))

    @Slot()
    def _on_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a GGUF model"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if not name:
            return
        try:
            read_gguf_info(Path(name))
        except InvalidModelFile as error:
            self.banner.show_error(str(error))
            return
        self.load_requested.emit(Path(name))
