"""The About dialog: versions of the app and what it runs on, its build, its data folders; Copy."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import Qt, Slot, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import __version__
from desktop_chat.ui.shell.widgets import plain_label

ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "desktop-chat.svg"


def app_icon() -> QIcon:
    """The app's icon (the window's, the dock's): the PNG sizes, and the SVG for the rest."""
    icon = QIcon()
    for png in sorted(ICON.parent.glob("desktop-chat-*.png")):
        icon.addFile(str(png))
    if ICON.is_file():
        icon.addFile(str(ICON))
    return icon


class AboutDialog(QDialog):
    """``build`` is engine.backend.build_info(); ``locations`` is paths.all_locations()."""

    def __init__(
        self,
        build: Mapping[str, Any],
        locations: Mapping[str, Path],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Desktop Chat"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.setAlignment(Qt.AlignmentFlag.AlignTop)
        logo = QLabel()
        logo.setTextFormat(Qt.TextFormat.PlainText)  # a picture only; never markup
        logo.setPixmap(app_icon().pixmap(64, 64))
        head.addWidget(logo)
        title_column = QVBoxLayout()
        title_column.setSpacing(4)
        title = plain_label(self.tr("Desktop Chat {version}").format(version=__version__))
        title.setObjectName("sectionTitle")
        title_column.addWidget(title)
        tagline = plain_label(
            self.tr("A private chat assistant. Everything stays on this computer.")
        )
        tagline.setObjectName("hint")
        tagline.setWordWrap(True)
        title_column.addWidget(tagline)
        head.addLayout(title_column, 1)
        layout.addLayout(head)

        self.rows = self._rows(build, locations)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(1, 1)
        for row, (label, value) in enumerate(self.rows):
            name = plain_label(label)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            text = plain_label(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0)
            grid.addWidget(text, row, 1)
        layout.addLayout(grid)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy these details, e.g. for a bug report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Our own word, not the standard button: Qt's translations are not shipped.
        self.close_button = buttons.addButton(
            self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        layout.addWidget(buttons)

    def _rows(
        self, build: Mapping[str, Any], locations: Mapping[str, Path]
    ) -> list[tuple[str, str]]:
        backends = ", ".join(build.get("backends") or ["CPU"])
        offload = self.tr("yes") if build.get("gpu_offload") else self.tr("no (CPU only)")
        features = ", ".join(build.get("cpu_features") or []) or self.tr("unknown")
        folder_titles = {
            "settings": self.tr("Settings"),
            "conversations": self.tr("Conversations"),
            "models": self.tr("Models"),
            "knowledge": self.tr("Knowledge bases"),
            "logs": self.tr("Logs"),
            "cache": self.tr("Cache"),
        }
        rows = [
            (self.tr("Version"), __version__),
            ("llama-cpp-python", str(build.get("llama_cpp_version", "unknown"))),
            (self.tr("llama.cpp build"), backends),
            (self.tr("GPU offload"), offload),
            (self.tr("CPU features"), features),
            ("Qt", qVersion()),
            ("PySide6", PySide6.__version__),
            ("Python", f"{platform.python_version()} ({sys.executable})"),
            (self.tr("System"), platform.platform()),
        ]
        for name, path in locations.items():
            rows.append((folder_titles.get(name, name), str(path)))
        return rows

    def text(self) -> str:
        """The details as plain text, one "label: value" a line (what Copy puts)."""
        lines = [f"Desktop Chat {__version__}"]
        lines += [f"{label}: {value}" for label, value in self.rows]
        return "\n".join(lines)

    @Slot()
    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
