"""The Settings pane: pages listed on the left, Apply/Revert, per-model overrides, data and privacy."""

from __future__ import annotations

import logging
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.models.gguf_info import GGUFInfo, InvalidModelFile, read_gguf_info
from desktop_chat.tasks import TaskRunner
from desktop_chat.ui.settings.editors import changed_signal, show_value, value_of
from desktop_chat.ui.settings.engines_page import EnginesPage
from desktop_chat.ui.settings.pages import (
    AppearancePage,
    GenerationPage,
    InferencePage,
    LanguagePage,
    ModelPage,
    ShortcutsPage,
    scrolled,
)
from desktop_chat.ui.settings.privacy import PrivacyPage
from desktop_chat.ui.settings.server_page import ServerPage
from desktop_chat.ui.settings.tools_page import ToolsPage
from desktop_chat.ui.shell.banner import Banner
from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)

RESTART = "restart"  # the banner action after a language change
SAVED_MS = 4000  # how long "Saved." stays beside the buttons

CONFIRM_WORD = "DELETE"


class SettingsPane(QWidget):
    """Edits a copy of the settings; Apply validates and emits, the app saves and reloads.

    With a model set (``set_model``), the Inference and Generation editors show the values in
    force for that model. A key the model already overrides is edited in its override; other
    keys are saved globally unless "Save for this model only" is ticked.
    """

    applied = Signal(object, list)  # new Settings, keys needing a model reload
    delete_all_requested = Signal()
    restart_requested = Signal()  # "Restart now" after a language change
    remote_model_chosen = Signal(str, str)  # Engines → Use in chat: endpoint, model
    model_info_shown = Signal()  # the model's facts from set_model are on screen

    def __init__(
        self,
        current: settings_mod.Settings,
        gpu_supported: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPane")
        self._settings = current
        self._gpu_supported = gpu_supported
        self._model_path: Path | None = None
        self._model_key: str | None = None
        self._shown: dict[str, Any] = {}
        self.runner = TaskRunner(self)
        self._info_id = -1

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = plain_label(self.tr("Settings"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)

        self.inference = InferencePage(gpu_supported)
        self.generation = GenerationPage()
        self.model_page = ModelPage()
        self.appearance = AppearancePage()
        self.shortcuts = ShortcutsPage()
        self.language = LanguagePage()
        self.privacy = PrivacyPage()
        self.server = ServerPage()
        self.engines = EnginesPage(lambda: self._settings)
        self.tools = ToolsPage()
        self.gpu_note = self.inference.gpu_note
        self.template = self.generation.template
        self.pages: dict[str, QWidget] = {
            "inference": self.inference,
            "generation": self.generation,
            "model": self.model_page,
            "appearance": self.appearance,
            "shortcuts": self.shortcuts,
            "language": self.language,
            "engines": self.engines,
            "tools": self.tools,
            "server": self.server,
            "privacy": self.privacy,
        }
        titles = {
            "inference": self.tr("Inference"),
            "generation": self.tr("Generation"),
            "model": self.tr("This model"),
            "appearance": self.tr("Appearance"),
            "shortcuts": self.tr("Shortcuts"),
            "language": self.tr("Language"),
            "engines": self.tr("Engines"),
            "tools": self.tr("Tools"),
            "server": self.tr("Server"),
            "privacy": self.tr("Privacy and data"),
        }
        self.editors: dict[str, QWidget] = {}
        self._tags: dict[str, QLabel] = {}
        for page in (self.inference, self.generation, self.appearance, self.language, self.engines):
            self.editors.update(page.editors)
            self._tags.update(page.tags)
        self.editors.update(self.server.editors)  # no per-model tags: not overridable

        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setObjectName("settingsNav")
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        for name, page in self.pages.items():
            self.nav.addItem(titles[name])
            # Every page scrolls: a wide page must not widen a window on a small screen.
            self.stack.addWidget(scrolled(page))
        widest = max(self.nav.fontMetrics().horizontalAdvance(t) for t in titles.values())
        self.nav.setFixedWidth(min(190, widest + 40))
        # Item padding and spacing left a few pixels over, so a horizontal scrollbar showed
        # under the list at every size; a title that truly does not fit is cut with "…".
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout.addLayout(body, 1)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        buttons = QHBoxLayout()
        # "Saved." beside the buttons for a moment: a banner would push the page down.
        self.saved_label = plain_label()
        self.saved_label.setObjectName("hint")
        buttons.addWidget(self.saved_label)
        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(SAVED_MS)
        self._saved_timer.timeout.connect(self.saved_label.clear)
        buttons.addStretch(1)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Show the last applied values again"))
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setProperty("primary", True)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)

        self.model_only_boxes = (self.inference.model_only, self.generation.model_only)
        for box in self.model_only_boxes:
            box.toggled.connect(self._sync_model_only)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        self.model_page.reset_requested.connect(self.reset_override)
        self.model_page.reset_all_requested.connect(self.reset_all_overrides)
        self.privacy.delete_clicked.connect(self._on_delete_clicked)
        self.engines.use_in_chat.connect(self.remote_model_chosen)
        self.set_model(None)
        self.set_settings(current)
        for editor in self.editors.values():
            changed_signal(editor).connect(self._update_buttons)
        self.banner.action_clicked.connect(self._on_banner_action)
        self._update_buttons()

    # -- pages -----------------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(name))

    @Slot(bool)
    def _sync_model_only(self, on: bool) -> None:
        for box in self.model_only_boxes:
            if box.isChecked() != on:
                box.setChecked(on)

    # -- model -----------------------------------------------------------------------------
    def set_model(self, path: Path | None) -> None:
        """The loaded model (None when none is): its trained context, memory and overrides.

        The overrides show at once; the file's own facts (trained context, template, memory)
        are read off the GUI thread and shown when ``model_info_shown`` is emitted."""
        dirty = self._dirty_keys()
        self._model_path = Path(path) if path is not None else None
        self._model_key = settings_mod.model_key_for(path) if path is not None else None
        self.runner.cancel(self._info_id)
        self._info_id = -1
        self._show_model_info(None)
        for box in self.model_only_boxes:
            box.setEnabled(self._model_key is not None)
            if self._model_key is None:
                box.setChecked(False)
        self._populate(keep=dirty)
        if path is not None:
            target = Path(path)
            task = self.runner.run(
                "gguf-info",
                lambda _context: read_gguf_info(target),
                self._on_model_info,
                self._on_model_info_failed,
                expected=(InvalidModelFile, OSError, ValueError),
            )
            self._info_id = task.id if task is not None else -1
        else:
            self.model_info_shown.emit()

    def reading_model(self) -> bool:
        return self._info_id != -1

    def _on_model_info(self, task_id: int, info: object) -> None:
        if task_id != self._info_id:
            return  # a newer set_model asked about another file
        self._info_id = -1
        assert isinstance(info, GGUFInfo)
        dirty = self._dirty_keys()
        self._show_model_info(info)
        # The context cap may have clamped an editor: show the applied values again, leaving
        # what the user edited meanwhile as edited.
        self._populate(keep=dirty)
        self.model_info_shown.emit()

    def _on_model_info_failed(self, task_id: int, error: object) -> None:
        if task_id != self._info_id:
            return
        self._info_id = -1
        log.warning("settings pane: no metadata for %s: %s", self._model_path, error)
        self.model_info_shown.emit()

    def _show_model_info(self, info: GGUFInfo | None) -> None:
        self.inference.set_model_info(info)
        self.template.set_model_template(info.chat_template if info else None)

    def shutdown(self) -> None:
        """Stop the background reads of this pane (app exit)."""
        self.runner.shutdown()
        self.privacy.shutdown()
        self.template.shutdown()
        self.engines.shutdown()
        self.tools.shutdown()

    # -- values ----------------------------------------------------------------------------
    def set_settings(self, settings: settings_mod.Settings) -> None:
        """Show ``settings`` as the applied state; unapplied edits are dropped."""
        self._settings = settings
        self._populate()

    def adopt_value(self, key: str, value: object) -> None:
        """Take a value the app itself changed (the current model, the last profile) without
        dropping unapplied edits, so a later Apply does not write the old value back."""
        self._settings = settings_mod.with_value(self._settings, key, value)

    def _shown_settings(self) -> settings_mod.Settings:
        if self._model_key is None:
            return self._settings
        return settings_mod.effective(self._settings, self._model_key)

    def _overrides(self) -> dict[str, Any]:
        if self._model_key is None:
            return {}
        return settings_mod.model_overrides(self._settings, self._model_key)

    def _dirty_keys(self) -> set[str]:
        return {
            key
            for key, editor in self.editors.items()
            if key in self._shown and value_of(editor) != self._shown[key]
        }

    def _populate(self, keep: AbstractSet[str] = frozenset()) -> None:
        """Fill the editors from the applied settings, leaving the keys in ``keep`` as edited."""
        shown = self._shown_settings()
        for key, editor in self.editors.items():
            if key in keep:
                continue
            show_value(editor, settings_mod.get_value(shown, key))
            self._shown[key] = value_of(editor)
        overrides = self._overrides()
        for key, tag in self._tags.items():
            tag.setVisible(key in overrides)
        self.model_page.show_overrides(
            self._model_path.name if self._model_path else None, overrides, self._settings
        )
        self.template.refresh_preview()
        self._update_buttons()

    def edited(self) -> settings_mod.Settings:
        """The settings as the controls show them; raises SettingsError for a bad value.

        Only editors the user changed are written, so a value the controls cannot show
        exactly (a context longer than this model's maximum, say) is never lost.
        """
        dirty = self._dirty_keys()
        if dirty & {"generation.chat_format", "generation.custom_template"}:
            problem = self.template.error()
            if problem:
                raise settings_mod.SettingsError(problem)
        result = self._settings
        overrides = self._overrides()
        model_only = self._model_key is not None and self.inference.model_only.isChecked()
        for key in self.editors:
            if key not in dirty:
                continue
            value = value_of(self.editors[key])
            field = settings_mod.FIELDS[key]
            if self._model_key and field.overridable and (model_only or key in overrides):
                result = settings_mod.with_model_override(result, self._model_key, key, value)
            else:
                result = settings_mod.with_value(result, key, value)
        return result

    def _reload_keys(self, old: settings_mod.Settings, new: settings_mod.Settings) -> list[str]:
        if self._model_key is None:
            return settings_mod.reload_needed(old, new)
        return settings_mod.reload_needed(
            settings_mod.effective(old, self._model_key),
            settings_mod.effective(new, self._model_key),
        )

    @Slot()
    def apply(self) -> None:
        try:
            new = self.edited()
        except settings_mod.SettingsError as error:
            self.banner.show_error(str(error))
            return
        if new == self._settings:
            self.banner.show_info(self.tr("Nothing has changed."))
            return
        self._commit(new)

    def _commit(self, new: settings_mod.Settings, keep: AbstractSet[str] = frozenset()) -> None:
        old = self._settings
        reload_keys = self._reload_keys(old, new)
        self._settings = new
        self._populate(keep)
        if reload_keys and self._model_path is not None:
            message = self.tr("Saved. The model is being reloaded with the new settings.")
        elif reload_keys:
            message = self.tr("Saved. The new settings apply when a model is loaded.")
        elif old.app.language != new.app.language:
            message = self.tr("Saved. The new language is used after you restart the app.")
        else:
            message = ""
        if message == "":
            self.banner.hide()
            self.saved_label.setText(self.tr("Saved."))
            self._saved_timer.start()
        elif old.app.language != new.app.language:
            self.banner.show_info(message, self.tr("Restart now"), RESTART)
        else:
            self.banner.show_info(message)
        self._update_buttons()
        self.applied.emit(new, reload_keys)

    @property
    def saved_text(self) -> str:
        """What the pane says after Apply: the banner's sentence, or the transient "Saved."."""
        return self.banner.text if self.banner.isVisibleTo(self) else self.saved_label.text()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        """Apply and Revert only when an editor holds something not yet applied."""
        dirty = bool(self._dirty_keys())
        self.apply_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    @Slot(str)
    def _on_banner_action(self, action: str) -> None:
        if action == RESTART:
            self.restart_requested.emit()

    @Slot()
    def revert(self) -> None:
        """Back to the last applied values."""
        self._populate()
        self.banner.hide()
        self._update_buttons()

    @Slot(str)
    def reset_override(self, key: str) -> None:
        if self._model_key is None:
            return
        new = settings_mod.without_model_override(self._settings, self._model_key, key)
        self._commit(new, self._dirty_keys() - {key})

    @Slot()
    def reset_all_overrides(self) -> None:
        if self._model_key is None:
            return
        new = settings_mod.without_model_override(self._settings, self._model_key, None)
        self._commit(new, self._dirty_keys() - set(self._overrides()))

    def show_warnings(self, warnings: list[str]) -> None:
        if warnings:
            self.banner.show_error(" ".join(warnings))

    @property
    def settings(self) -> settings_mod.Settings:
        return self._settings

    # -- data ------------------------------------------------------------------------------
    def confirm_delete_all(self) -> bool:
        """Ask the user to type DELETE; tests replace this method."""
        text, ok = QInputDialog.getText(
            self,
            self.tr("Delete all my data"),
            self.tr(
                "This deletes every conversation, setting, downloaded model, knowledge base and "
                "log of this app. It cannot be undone.\n\nType {word} to confirm."
            ).format(word=CONFIRM_WORD),
            QLineEdit.EchoMode.Normal,
        )
        return ok and text.strip() == CONFIRM_WORD

    @Slot()
    def _on_delete_clicked(self) -> None:
        if self.confirm_delete_all():
            self.delete_all_requested.emit()
        else:
            self.banner.show_info(self.tr("Nothing was deleted."))
