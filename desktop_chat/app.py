"""QApplication set-up: builds the window, wires panes to services, picks the first model."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QBoxLayout

from desktop_chat import crash_guard, logs, qt_platform_check, tasks
from desktop_chat import settings as settings_mod
from desktop_chat.chat.profiles import Profile, ProfileStore
from desktop_chat.engine import backend
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import ModelInfo
from desktop_chat.models import starter
from desktop_chat.server.control import ServerControl
from desktop_chat.store import StoreError
from desktop_chat.ui.app_parts import kiosk
from desktop_chat.ui.app_parts.data import ConversationFiles, remove_all_data
from desktop_chat.ui.app_parts.demo import DemoPreparer
from desktop_chat.ui.app_parts.profiles import ProfileControl
from desktop_chat.ui.app_parts.server import ApiStatus
from desktop_chat.ui.app_parts.startup import (
    DESKTOP_FILE_NAME,
    StartupError,
    ensure_qapp,
    open_store_or_memory,
    startup_sentence,
)
from desktop_chat.ui.chat.pane import ChatPane
from desktop_chat.ui.knowledge.indexer import KbIndexer
from desktop_chat.ui.knowledge.pane import KnowledgePane
from desktop_chat.ui.models.pane import ModelsPane
from desktop_chat.ui.settings.pane import SettingsPane
from desktop_chat.ui.shell import theme
from desktop_chat.ui.shell.banner import Banner
from desktop_chat.ui.shell.desktop import DesktopShell, quit_on_terminate
from desktop_chat.ui.shell.i18n import choose_language, install_translator
from desktop_chat.ui.shell.main_window import MainWindow
from desktop_chat.ui.shell.single_instance import SingleInstance, hand_off
from desktop_chat.ui.shell.widgets import show_error

log = logging.getLogger(__name__)

# How long exit waits for background tasks in all; one stuck longer is logged and left.
SHUTDOWN_BOUND_S = 10.0
# Importable from here, where callers have always found them.
__all__ = ["DESKTOP_FILE_NAME", "DesktopChat", "StartupError", "ensure_qapp", "run_gui"]


class DesktopChat(QObject):
    """The running app: one engine client, one window, the settings in force."""

    demo_opened = Signal()  # the demo's knowledge base is ready and its chat is open

    def __init__(self, qapp: QApplication) -> None:
        super().__init__()
        logs.setup()
        self.qapp = qapp
        result = settings_mod.load()
        self.settings = result.settings
        notices = list(result.warnings)
        # Before any widget exists: tr() runs when widgets are built.
        install_translator(qapp, choose_language(self.settings.app.language))
        qapp.setApplicationDisplayName(self.tr("Desktop Chat"))
        self.store, store_notice = open_store_or_memory()
        if store_notice:
            notices.append(store_notice)
        try:
            self.store.purge_deleted(0)  # leftovers of an Undo window the app did not outlive
        except StoreError as error:  # e.g. another copy of the app holds the database
            notices.append(str(error))
        self.profiles = ProfileStore()
        profile_notice = self.profiles.load()
        if profile_notice:
            notices.append(profile_notice)
        self.client = EngineClient()
        self.indexer = KbIndexer()
        try:
            self._build(result, notices)
        except BaseException as error:
            # The engine thread runs already: a QThread destroyed while it runs aborts the
            # whole process, so it is stopped before the error goes on.
            self._stop_services()
            if isinstance(error, OSError):
                log.exception("start-up failed")
                raise StartupError(startup_sentence(error)) from error
            raise

    def _stop_services(self) -> None:
        for name in ("chat", "models", "settings_pane", "demo"):
            part = getattr(self, name, None)
            if part is not None:
                part.shutdown()
        self.indexer.shutdown()
        tasks.shutdown_all(SHUTDOWN_BOUND_S)
        self.client.shutdown()
        self.store.close()

    def _build(self, result: settings_mod.LoadResult, notices: list[str]) -> None:
        """The panes and the window, wired to the services; OSError for a folder it cannot use."""
        self.chat = ChatPane(self.client, lambda: self.settings, self.store)
        self.chat.controller.find_profile = self.find_profile
        self.models = ModelsPane(n_ctx_provider=lambda: self.settings.inference.n_ctx)
        self.knowledge = KnowledgePane(self.indexer)
        self.settings_pane = SettingsPane(self.settings, backend.gpu_offload_supported())
        self.window = MainWindow(self.chat, self.models, self.settings_pane, self.knowledge)
        self.profile_control = ProfileControl(
            lambda: self.profiles, self.chat, self.language, lambda: self.window, self
        )
        self.profile_picker = self.profile_control.picker
        self.demo_button = self.chat.add_header_button(
            self.tr("Try the customer-service demo"), self.start_demo
        )
        self.demo = DemoPreparer(self.demo_button, self.chat.banner, self)
        self.demo.ready.connect(self._on_demo_ready)
        self.profile_picker.profile_chosen.connect(self._on_profile_chosen)
        self.knowledge.kbs_changed.connect(self.profile_picker.refresh)
        self._on_profile_chosen(self.settings.app.last_profile or "general")
        self.apply_appearance()
        # Start-up problems get a banner of their own, kept until dismissed: the chat banner
        # says "Loading model…" a moment later.
        self.startup_banner = Banner()
        column = self.chat.banner.parentWidget().layout()
        assert isinstance(column, QBoxLayout)
        column.insertWidget(column.indexOf(self.chat.banner), self.startup_banner)
        if notices:
            self.settings_pane.show_warnings(result.warnings)
            self.startup_banner.show_error(" ".join(notices))
        # The API server's banner: reachable from other machines, busy, or failed to start.
        self.api = ServerControl(self.client, lambda: settings_mod.to_gen_params(self.settings))
        self.api_banner = Banner()
        column.insertWidget(column.indexOf(self.chat.banner), self.api_banner)
        self.api_status = ApiStatus(
            self.api,
            self.api_banner,
            self.settings_pane.server,
            lambda: self.chat.controller.busy,
            self,
        )
        self.api.changed.connect(self.api_status.update)
        self.chat.controller.busy_changed.connect(self.api_status.update)
        self.files = ConversationFiles(lambda: self.window, self.chat, lambda: self.store)
        self.chat.sidebar.refresh()

        self.client.model_loading.connect(self._on_loading)
        self.client.model_loaded.connect(self._on_loaded)
        self.client.model_load_failed.connect(self._on_load_failed)
        self.chat.open_models_requested.connect(self.window.show_models)
        self.chat.model_requested.connect(self.load_model)
        self.models.load_requested.connect(self.load_model)
        self.settings_pane.applied.connect(self._on_settings_applied)
        self.settings_pane.delete_all_requested.connect(self.delete_all_data)
        self.settings_pane.restart_requested.connect(self.restart)
        self.restart_requested = False
        self.settings_pane.remote_model_chosen.connect(self._use_remote_model)
        self.window.closing.connect(self.shutdown)
        self.window.new_chat_requested.connect(self.chat.new_chat)
        self.window.search_requested.connect(self.chat.sidebar.open_search)
        self.window.kiosk_toggled.connect(self._on_kiosk_toggled)
        self.window.kiosk_exit_allowed = self._kiosk_pin_given
        self.window.export_requested.connect(self.export_conversations)
        self.window.import_requested.connect(self.import_conversations)
        self.qapp.aboutToQuit.connect(self.shutdown)
        self.shell = DesktopShell(self)
        self._closed = False

    # -- models ----------------------------------------------------------------------------
    def first_model(self) -> Path | None:
        chosen = self.settings.app.current_model
        if chosen and Path(chosen).is_file():
            return Path(chosen)
        return starter.smollm2_path()

    def start(self) -> None:
        self.api.apply(self.settings)
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
        if info.format_note:
            self.chat.banner.show_info(info.format_note)
        self.models.set_current(info.path)
        self.settings_pane.set_model(info.path)
        self._remember("app.current_model", str(info.path))

    @Slot(int, str)
    def _on_load_failed(self, _request_id: int, message: str) -> None:
        self.settings_pane.set_model(None)
        self.chat.show_load_failed(message)
        self.models.banner.show_error(message)

    # -- profiles and the demo -------------------------------------------------------------
    def language(self) -> str:
        return "zh" if choose_language(self.settings.app.language) == "zh_CN" else "en"

    def find_profile(self, profile_id: str) -> Profile | None:
        return self.profile_control.find(profile_id)

    @Slot(str)
    def _on_profile_chosen(self, profile_id: str) -> None:
        profile = self.profile_control.choose(profile_id)
        if profile is not None:
            self._remember("app.last_profile", profile.id)

    @Slot()
    def edit_profiles(self) -> None:
        self.profile_control.edit()

    @Slot()
    def start_demo(self) -> None:
        """One click: the shop's knowledge base (prepared off the GUI thread), the
        customer-service profile, a new chat; ``demo_opened`` says it is open."""
        if self.demo.prepare():  # False: already under way, or the app is closing
            self.window.show_chat()

    @Slot()
    def _on_demo_ready(self) -> None:
        self.knowledge.refresh()
        self._on_profile_chosen("customer-service")
        self.window.show_chat()
        self.chat.new_chat()
        if self.client.model is None and not self.client.loading:
            self.start()
        self.demo_opened.emit()

    def ask_kiosk_pin(self) -> str | None:
        """The PIN typed to leave kiosk view, or None (cancelled); tests replace it."""
        return kiosk.ask_pin(self.window)

    def _kiosk_pin_given(self) -> bool:
        return kiosk.pin_given(self.settings.appearance.kiosk_pin, self.ask_kiosk_pin)

    @Slot(bool)
    def _on_kiosk_toggled(self, on: bool) -> None:
        kiosk.apply(self.qapp, self.chat, self.settings.appearance, on)

    # -- export and import ----------------------------------------------------------------
    @Slot(str)
    def export_conversations(self, which: str, target: Path | None = None) -> Path | None:
        """Markdown or JSON, chosen by the file name; ``target`` skips the dialog (tests)."""
        return self.files.export(which, target)

    @Slot()
    def import_conversations(self, source: Path | None = None) -> list[int]:
        return self.files.import_(source)

    # -- settings --------------------------------------------------------------------------
    @Slot(str, str)
    def _use_remote_model(self, endpoint: str, model: str) -> None:
        """Settings → Engines → Use in chat: the chat talks to that model from now on."""
        self.chat.use_remote(endpoint, model)
        self.window.show_chat()

    @Slot(object, list)
    def _on_settings_applied(self, new: settings_mod.Settings, reload_keys: list[str]) -> None:
        self.settings = new
        self._save()
        self.apply_appearance()
        self.api.apply(new)
        if reload_keys and self.client.model is not None:
            self.load_model(self.client.model.path)

    def _remember(self, key: str, value: str) -> None:
        """A value the app records itself (the model loaded, the profile chosen), saved."""
        if settings_mod.get_value(self.settings, key) == value:
            return
        self.settings = settings_mod.with_value(self.settings, key, value)
        # The Settings pane's copy follows, or its next Apply writes the old value back.
        self.settings_pane.adopt_value(key, value)
        self._save()

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
        theme.apply(self.qapp, appearance.theme, appearance.font_size)
        self.chat.transcript.set_theme(resolved)
        self.chat.set_readable_width(appearance.chat_width)
        self.chat.set_kiosk_idle_minutes(appearance.kiosk_idle_minutes)

    @Slot()
    def restart(self) -> None:
        """Close, and start again once closed (run_gui does it): a new language is used."""
        self.restart_requested = True
        self.window.close()

    @Slot()
    def delete_all_data(self) -> None:
        """Forget everything: chats, settings, profiles, knowledge bases, downloaded models."""
        self.client.unload()
        self.chat.release_store()
        self.indexer.cancel()
        self.demo.stop()  # its knowledge base is being written: let it end before the delete
        self.store.close()
        failed = remove_all_data()
        # Everything that held the old store is given the new one: a stale reference would
        # fail every send and search with the closed database until a restart.
        self.store, _ = open_store_or_memory()
        self.chat.set_store(self.store)
        self.settings = settings_mod.Settings()
        self.settings_pane.set_settings(self.settings)
        self.profiles = ProfileStore()
        self.profiles.load()
        self.profile_control.store_replaced()
        self.knowledge.refresh()
        self.models.refresh()
        self.start()
        # Said on the Settings pane, where the user asked; the chat banner shows the reload.
        if failed:
            self.settings_pane.banner.show_error(
                self.tr("Some data could not be deleted: {items}").format(items=", ".join(failed))
            )
        else:
            self.settings_pane.banner.show_info(self.tr("All your data was deleted."))

    # -- shutdown --------------------------------------------------------------------------
    @Slot()
    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.chat.shutdown()
        self.models.shutdown()
        self.indexer.shutdown()
        self.demo.shutdown()
        self.settings_pane.shutdown()
        # Last word on background work: whatever a pane did not stop (or started meanwhile)
        # is cancelled and joined here, before the store it may use is closed.
        if not tasks.shutdown_all(SHUTDOWN_BOUND_S):
            names = ", ".join(task.name for task in tasks.live_tasks())
            log.error("background tasks still running at exit: %s", names)
        self.api.shutdown()
        self.client.shutdown()
        self.store.close()


def run_gui(argv: list[str] | None = None, open_files: Sequence[str] = ()) -> int:
    """The window; ``open_files`` (.gguf, .json) are imported once it is up."""
    problem = qt_platform_check.check()
    if problem:
        print(problem, file=sys.stderr)
        return qt_platform_check.EXIT_MISSING_LIBRARIES
    qapp = ensure_qapp(argv)
    instance = SingleInstance()
    if not instance.listen():  # another window started meanwhile: it gets the files
        return 0 if hand_off(open_files) else 1
    previous_crash = crash_guard.take_previous_native_crash()
    guard = crash_guard.CrashGuard().install()
    try:
        app = DesktopChat(qapp)
    except StartupError as error:
        guard.uninstall()
        instance.close()
        print(error, file=sys.stderr)
        show_error(None, QCoreApplication.translate("DesktopChat", "Desktop Chat"), str(error))
        return 1
    guard.reporter = app.shell.crash_reporter.report
    instance.open_requested.connect(app.shell.open_files)
    quit_on_terminate(qapp)
    app.start()
    # The last pane only when a model is coming: with none, start() showed Models on purpose.
    app.window.restore_ui_state(pane_too=app.client.loading or app.client.model is not None)
    app.window.show()
    app.shell.note_previous_crash(previous_crash)
    if open_files:
        app.shell.open_files(list(open_files))
    app.shell.maybe_show_welcome()
    code = qapp.exec()
    app.shutdown()
    instance.close()
    guard.uninstall()
    if app.restart_requested:  # Settings → Restart now: the same command, started afresh
        frozen = getattr(sys, "frozen", False)
        os.execv(sys.executable, [sys.executable, *sys.argv[1 if frozen else 0 :]])
    return code
