"""QApplication set-up: builds the window, wires panes to services, picks the first model."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from desktop_chat import logs
from desktop_chat import settings as settings_mod
from desktop_chat.engine import backend
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import ModelInfo
from desktop_chat.models import starter
from desktop_chat.ui import theme
from desktop_chat.ui.chat_pane import ChatPane
from desktop_chat.ui.main_window import MainWindow
from desktop_chat.ui.models_pane import ModelsPane
from desktop_chat.ui.settings_pane import SettingsPane

log = logging.getLogger(__name__)


def ensure_qapp(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("desktop-chat")
    app.setApplicationDisplayName("Desktop Chat")
    app.setOrganizationName("desktop-chat")
    return app


class DesktopChat(QObject):
    """The running app: one engine client, one window, the settings in force."""

    def __init__(self, qapp: QApplication) -> None:
        super().__init__()
        logs.setup()
        self.qapp = qapp
        result = settings_mod.load()
        self.settings = result.settings
        self.client = EngineClient()
        self.chat = ChatPane(self.client, lambda: self.settings)
        self.models = ModelsPane()
        self.settings_pane = SettingsPane(self.settings, backend.gpu_offload_supported())
        self.window = MainWindow(self.chat, self.models, self.settings_pane)
        self.apply_appearance()
        if result.warnings:
            self.settings_pane.show_warnings(result.warnings)
            self.chat.banner.show_error(" ".join(result.warnings))

        self.client.model_loading.connect(self._on_loading)
        self.client.model_loaded.connect(self._on_loaded)
        self.client.model_load_failed.connect(self._on_load_failed)
        self.chat.open_models_requested.connect(self.window.show_models)
        self.models.load_requested.connect(self.load_model)
        self.settings_pane.applied.connect(self._on_settings_applied)
        self.window.closing.connect(self.shutdown)
        self.qapp.aboutToQuit.connect(self.shutdown)
        self._closed = False

    # -- models ----------------------------------------------------------------------------
    def first_model(self) -> Path | None:
        chosen = self.settings.app.current_model
        if chosen and Path(chosen).is_file():
            return Path(chosen)
        return starter.smollm2_path()

    def start(self) -> None:
        path = self.first_model()
        if path is None:
            self.chat.show_no_model()
            self.window.show_models()
        else:
            self.load_model(path)

    @Slot(Path)
    def load_model(self, path: Path) -> int:
        effective = settings_mod.effective(self.settings, settings_mod.model_key_for(path))
        self.window.show_chat()
        self.chat.show_loading(path.name)  # at once: the worker's own signal comes later
        return self.client.load(settings_mod.to_load_params(effective, path))

    @Slot(int, str)
    def _on_loading(self, _request_id: int, path: str) -> None:
        self.chat.show_loading(Path(path).name)

    @Slot(int, object)
    def _on_loaded(self, request_id: int, info: ModelInfo) -> None:
        if request_id != self.client.loading_id and self.client.model is not info:
            return
        self.chat.show_model_ready(info)
        self.models.set_current(info.path)
        if self.settings.app.current_model != str(info.path):
            self.settings = settings_mod.with_value(
                self.settings, "app.current_model", str(info.path)
            )
            self._save()

    @Slot(int, str)
    def _on_load_failed(self, _request_id: int, message: str) -> None:
        self.chat.show_load_failed(message)
        self.models.banner.show_error(message)

    # -- settings --------------------------------------------------------------------------
    @Slot(object, list)
    def _on_settings_applied(self, new: settings_mod.Settings, reload_keys: list[str]) -> None:
        self.settings = new
        self._save()
        self.apply_appearance()
        if reload_keys and self.client.model is not None:
            self.load_model(self.client.model.path)

    def _save(self) -> None:
        try:
            settings_mod.save(self.settings)
        except OSError as error:
            log.exception("could not save settings")
            self.chat.banner.show_error(
                self.tr("Settings could not be saved ({error}). Check free disk space.").format(
                    error=error.strerror
                )
            )

    def apply_appearance(self) -> None:
        appearance = self.settings.appearance
        resolved = theme.resolve(appearance.theme)
        self.qapp.setStyleSheet(theme.style_sheet(appearance.theme, appearance.font_size))
        self.chat.transcript.set_theme(resolved)
        self.chat.transcript.set_max_width(appearance.chat_width)

    # -- shutdown --------------------------------------------------------------------------
    @Slot()
    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.client.shutdown()


def run_gui(argv: list[str] | None = None) -> int:
    qapp = ensure_qapp(argv)
    app = DesktopChat(qapp)
    app.window.show()
    app.start()
    code = qapp.exec()
    app.shutdown()
    return code
