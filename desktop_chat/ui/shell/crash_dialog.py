"""An unexpected error, told like a desktop app: what happened, Copy details, the log, Continue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)

# An error raised on every repaint would open dialog after dialog: after this many in one
# session only the log gets them.
MAX_DIALOGS = 3


class CrashDialog(QDialog):
    def __init__(self, details: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        headline = plain_label(
            self.tr(
                "Desktop Chat ran into an unexpected error. Your conversations are saved, "
                "including the answer being written. You can go on working."
            )
        )
        headline.setWordWrap(True)
        layout.addWidget(headline)
        where = plain_label(
            self.tr(
                "If it happens again, please report it with the details below. The log is "
                "in {path}."
            ).format(path=log_path)
        )
        where.setObjectName("hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setPlainText(details)
        self.details.setMinimumHeight(180)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.continue_button = buttons.addButton(
            self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setDefault(True)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.accepted.connect(self.accept)

    def add_details(self, details: str) -> None:
        """Another error while this dialog is open: added below, not a dialog more."""
        self.details.appendPlainText("\n" + details)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashReporter(QObject):
    """Turns an uncaught error from any thread into a dialog on the GUI thread.

    ``report`` may be called on any thread (it only emits); ``before_dialog`` runs first on
    the GUI thread, to save what is streaming.
    """

    reported = Signal(str)

    def __init__(
        self,
        parent_window: Callable[[], QWidget | None],
        log_path: Path,
        before_dialog: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__()
        self.parent_window = parent_window
        self.log_path = log_path
        self.before_dialog = before_dialog
        self.dialog: CrashDialog | None = None
        self.shown = 0
        # Queued even on the GUI thread: the hook returns first, the dialog opens from the
        # event loop, not inside the slot that failed.
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, details: str) -> None:
        self.reported.emit(details)

    @Slot(str)
    def _show(self, details: str) -> None:
        try:
            self.before_dialog()
        except Exception:
            log.exception("could not save the answer before the error dialog")
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_details(details)
            return
        if self.shown >= MAX_DIALOGS:
            return
        self.shown += 1
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = CrashDialog(details, self.log_path, self.parent_window())
        self.dialog.open()  # not exec(): no event loop nested inside an error
