"""Desktop-app behaviour of the window: files from a second launch, welcome, About, crash reports."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

from desktop_chat import paths
from desktop_chat.engine import backend
from desktop_chat.models import catalog, fit, starter
from desktop_chat.ui.shell import ui_state
from desktop_chat.ui.shell.about import AboutDialog
from desktop_chat.ui.shell.crash_dialog import CrashReporter
from desktop_chat.ui.shell.welcome import WelcomeDialog, recommended_model

log = logging.getLogger(__name__)

MODEL_SUFFIXES = (".gguf",)
ARCHIVE_SUFFIXES = (".json",)


def quit_on_terminate(qapp: QApplication) -> QTimer:
    """SIGTERM (logout, ``kill``) and Ctrl+C quit like the Quit menu: answers saved, threads
    joined. Python runs a signal handler only between its own bytecodes, so a timer gives it
    a turn while Qt's loop waits."""

    def on_signal(_number: int, _frame: object) -> None:
        log.info("quitting on a signal")
        qapp.closeAllWindows()  # the window remembers its place, as when closed by hand
        qapp.quit()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    wake = QTimer(qapp)
    wake.setInterval(250)
    wake.timeout.connect(lambda: None)
    wake.start()
    return wake


class DesktopShell(QObject):
    """``host`` is the running app (app.DesktopChat): its window, panes and import actions."""

    def __init__(self, host: Any) -> None:
        super().__init__()
        self.host = host
        self.welcome: WelcomeDialog | None = None
        self.about: AboutDialog | None = None
        self.crash_reporter = CrashReporter(
            lambda: self.host.window, paths.log_file(), self._save_streaming_answers
        )
        host.window.about_requested.connect(self.show_about)
        host.settings_pane.privacy.welcome_again_clicked.connect(self.show_welcome)

    def _save_streaming_answers(self) -> None:
        self.host.chat.controller.answers.flush()

    # -- a second launch -------------------------------------------------------------------
    def raise_window(self) -> None:
        window = self.host.window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    @Slot(list)
    def open_files(self, files: list[str]) -> None:
        """Raise the window; import the .gguf models (linked in place) and .json archives."""
        self.raise_window()
        chosen = [Path(f) for f in files]
        models = [p for p in chosen if p.suffix.lower() in MODEL_SUFFIXES]
        archives = [p for p in chosen if p.suffix.lower() in ARCHIVE_SUFFIXES]
        others = [p for p in chosen if p not in models and p not in archives]
        for archive in archives:
            self.host.import_conversations(archive)
        if models:
            self.host.window.show_models()
            self.host.models.tabs.setCurrentWidget(self.host.models.local)
            self.host.models.local.import_files(models, link=True)
        if others:
            names = ", ".join(p.name for p in others)
            self.host.chat.banner.show_error(
                self.tr(
                    "{names} cannot be opened here: the app opens .gguf models and "
                    "conversations exported as .json."
                ).format(names=names)
            )

    # -- the welcome -----------------------------------------------------------------------
    def maybe_show_welcome(self) -> WelcomeDialog | None:
        """The welcome on the first start only (ui_state.json remembers it was shown)."""
        if ui_state.welcome_shown():
            return None
        return self.show_welcome()

    @Slot()
    def show_welcome(self) -> WelcomeDialog:
        ui_state.set_welcome_shown(True)
        starter_path = starter.smollm2_path()
        try:
            entries = catalog.load_catalog()
        except catalog.CatalogError:
            log.exception("the shipped catalog is unreadable")
            entries = []
        recommended = recommended_model(
            entries, fit.current_budget(query_gpu=False), self.host.language() == "zh"
        )
        if self.welcome is not None:
            self.welcome.deleteLater()
        dialog = WelcomeDialog(
            starter_path.name if starter_path else None, recommended, self.host.window
        )
        dialog.chat_requested.connect(self._start_chatting)
        dialog.model_requested.connect(self._show_model)
        dialog.import_requested.connect(self._import_model)
        dialog.demo_requested.connect(self.host.start_demo)
        self.welcome = dialog
        dialog.open()
        return dialog

    @Slot()
    def _start_chatting(self) -> None:
        self.host.window.show_chat()
        self.host.chat.composer.setFocus()

    @Slot(str)
    def _show_model(self, repo_id: str) -> None:
        models = self.host.models
        self.host.window.show_models()
        models.tabs.setCurrentWidget(models.discover)
        models.discover.show_repo(repo_id)

    @Slot()
    def _import_model(self) -> None:
        self.host.window.show_models()
        files = self.host.models.choose_import_files()
        if files:
            self.host.models.local.import_files(files)

    # -- About -----------------------------------------------------------------------------
    @Slot()
    def show_about(self) -> AboutDialog:
        if self.about is not None:
            self.about.deleteLater()
        self.about = AboutDialog(backend.build_info(), paths.all_locations(), self.host.window)
        self.about.open()
        return self.about

    # -- crashes ---------------------------------------------------------------------------
    def note_previous_crash(self, report: Path | None) -> None:
        """Say once that the last run crashed natively, and where its report is."""
        if report is None:
            return
        self.host.startup_banner.show_info(
            self.tr(
                "Desktop Chat closed unexpectedly last time. Your conversations were saved as "
                "they were then. The crash report is in {path}."
            ).format(path=report)
        )
