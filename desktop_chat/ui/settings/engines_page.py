"""Settings → Engines: remote OpenAI-compatible endpoints (add, edit, remove, test, their models)
and the remote timeouts; "Use in chat" hands a remote model to the chat."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.engine import endpoints, remote_http, remote_models
from desktop_chat.engine.endpoints import Endpoint, KeyStorage, Preset
from desktop_chat.engine.remote import timeouts_for
from desktop_chat.engine.remote_errors import RemoteError
from desktop_chat.tasks import TaskContext, TaskRunner
from desktop_chat.ui.settings.pages import FieldForm, hint
from desktop_chat.ui.settings.record_list import RecordList
from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)

REMOTE_KEYS = ("remote.connect_timeout_s", "remote.stall_timeout_s", "remote.default_context")


class EnginesPage(FieldForm):
    """The saved endpoints on the left, the chosen one's form and models on the right."""

    use_in_chat = Signal(str, str)  # endpoint name, model id

    def __init__(
        self,
        get_settings: Callable[[], settings_mod.Settings] = settings_mod.Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enginesPage")
        self.runner = TaskRunner(self)
        self._current: str | None = None  # the endpoint shown in the form (None: a new one)
        self._task_id = -1
        intro = hint(
            self.tr(
                "Chat through a server you run elsewhere (llama.cpp's llama-server, vLLM, "
                "Ollama, LM Studio) or a cloud provider's OpenAI-compatible API. Your messages "
                "go to that server only in chats where you pick one of its models; the chat "
                "then shows a “Remote” badge."
            )
        )
        self.outer.insertWidget(0, intro)

        self.records = RecordList("endpointList", self.tr("Add endpoint"))
        self.list = self.records.list
        self.new_button = self.records.add_button
        self.remove_button = self.records.remove_button
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. lab server"))
        self.preset_box = QComboBox()
        labels = {
            Preset.LLAMA_SERVER: self.tr("llama.cpp llama-server"),
            Preset.VLLM: "vLLM",
            Preset.OLLAMA: self.tr("Ollama (/v1)"),
            Preset.LM_STUDIO: "LM Studio",
            Preset.CLOUD: self.tr("OpenAI-compatible cloud API"),
        }
        for preset in Preset:
            self.preset_box.addItem(labels[preset], preset.value)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(endpoints.PRESET_URLS[Preset.LLAMA_SERVER])
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("none"))
        self.key_storage = QComboBox()
        self.key_storage.addItem(self.tr("in the system keyring"), KeyStorage.KEYRING.value)
        self.key_storage.addItem(self.tr("for this session only"), KeyStorage.SESSION.value)
        self.context_spin = QSpinBox()
        self.context_spin.setRange(0, 1_048_576)
        self.context_spin.setSingleStep(1024)
        self.context_spin.setSpecialValueText(self.tr("From the server"))
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(0, 3600)
        self.timeout_spin.setDecimals(0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setSpecialValueText(self.tr("Default"))
        for label, editor in (
            (self.tr("Name"), self.name_edit),
            (self.tr("Engine"), self.preset_box),
            (self.tr("Base URL"), self.url_edit),
            (self.tr("API key"), self.key_edit),
            (self.tr("Keep the key"), self.key_storage),
            (self.tr("Context size"), self.context_spin),
            (self.tr("Stall timeout"), self.timeout_spin),
        ):
            self.records.add_row(label, editor)
        self.keyring_note = hint(
            self.tr(
                "No system keyring works on this computer, so keys are kept for this session "
                "only and asked again after a restart."
            )
        )
        self.keyring_note.setVisible(not endpoints.keyring_available())
        self.records.column.addWidget(self.keyring_note)
        self.save_button, self.test_button = self.records.add_actions(
            self.tr("Save"), self.tr("Test connection")
        )
        self.status = self.records.status
        self.status.setObjectName("engineStatus")
        column = self.records.column
        column.addWidget(plain_label(self.tr("Models on this server")))
        self.models = QListWidget()
        self.models.setObjectName("remoteModels")
        self.models.setMinimumHeight(90)
        self.models.setMaximumHeight(150)
        column.addWidget(self.models)
        self.use_button = QPushButton(self.tr("Use in chat"))
        self.use_button.setToolTip(
            self.tr("Talk to the chosen model in the open chat and in new chats")
        )
        column.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        # Above the FieldForm grid (the timeouts for every endpoint): intro, endpoints, title.
        self.outer.insertWidget(1, self.records)
        timing = plain_label(self.tr("For every remote engine"))
        timing.setObjectName("sectionSubtitle")
        self.outer.insertWidget(2, timing)
        for key in REMOTE_KEYS:
            self.add(key)
        self.finish()

        self.records.chosen.connect(self._on_chosen)
        self.new_button.clicked.connect(self.new_endpoint)
        self.remove_button.clicked.connect(self.remove_endpoint)
        self.save_button.clicked.connect(self.save_endpoint)
        self.test_button.clicked.connect(self.test_connection)
        self.use_button.clicked.connect(self._use_selected)
        self.models.itemDoubleClicked.connect(self._use_selected)
        self.preset_box.currentIndexChanged.connect(self._on_preset)
        self.get_settings = get_settings
        self.refresh()

    # -- the list --------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        self.records.fill([e.name for e in endpoints.load()], select)

    @Slot(str)
    def _on_chosen(self, name: str) -> None:
        self._show(endpoints.get(name) if name else None)

    def _show(self, endpoint: Endpoint | None) -> None:
        self._current = endpoint.name if endpoint else None
        self.name_edit.setText(endpoint.name if endpoint else "")
        preset = endpoint.preset if endpoint else Preset.LLAMA_SERVER
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(preset.value)))
        self.preset_box.blockSignals(False)
        self.url_edit.setText(endpoint.base_url if endpoint else endpoints.PRESET_URLS[preset])
        for edit in (self.name_edit, self.url_edit):
            edit.setCursorPosition(0)  # a long name or address shows its start, not its end
        self.key_edit.setText(endpoints.get_key(endpoint.name) if endpoint else "")
        storage = endpoint.key_storage if endpoint else KeyStorage.KEYRING
        self.key_storage.setCurrentIndex(max(0, self.key_storage.findData(storage.value)))
        self.context_spin.setValue(endpoint.context_size if endpoint else 0)
        self.timeout_spin.setValue(endpoint.timeout_s if endpoint else 0)
        self.status.setText("")
        self._show_models()

    def _show_models(self) -> None:
        self.models.clear()
        if self._current is not None:
            for model in remote_models.cached(self._current):
                item = QListWidgetItem(model.id)
                if model.context_size:
                    item.setToolTip(self.tr("{n} tokens of context").format(n=model.context_size))
                self.models.addItem(item)
        if self.models.count():
            self.models.setCurrentRow(0)
        self.use_button.setEnabled(self.models.count() > 0)

    @Slot()
    def _on_preset(self) -> None:
        """A new preset fills in its usual address unless the user typed one of their own."""
        url = self.url_edit.text().strip()
        if not url or url in endpoints.PRESET_URLS.values():
            self.url_edit.setText(endpoints.PRESET_URLS[Preset(self.preset_box.currentData())])

    # -- editing ---------------------------------------------------------------------------
    def _edited(self) -> Endpoint:
        return Endpoint(
            name=self.name_edit.text(),
            base_url=self.url_edit.text(),
            preset=Preset(self.preset_box.currentData()),
            context_size=self.context_spin.value(),
            timeout_s=float(self.timeout_spin.value()),
            key_storage=KeyStorage(self.key_storage.currentData()),
        )

    @Slot()
    def new_endpoint(self) -> None:
        self.records.new_record()
        self.name_edit.setFocus()

    @Slot()
    def save_endpoint(self) -> bool:
        try:
            saved = endpoints.add(self._edited(), replace_existing=True)
        except endpoints.EndpointError as error:
            self.status.setText(str(error))
            return False
        except OSError as error:
            log.warning("could not save the endpoints: %s", error)
            self.status.setText(
                self.tr("The endpoints could not be saved: {error}").format(error=error)
            )
            return False
        if self._current and self._current.lower() != saved.name.lower():
            endpoints.remove(self._current)  # renamed
        where = endpoints.set_key(saved.name, self.key_edit.text().strip(), saved.key_storage)
        self.refresh(select=saved.name)
        if where == "session" and saved.key_storage == KeyStorage.KEYRING:
            self.status.setText(
                self.tr("Saved. The key is kept for this session only: no keyring works here.")
            )
        else:
            self.status.setText(self.tr("Saved."))
        return True

    @Slot()
    def remove_endpoint(self) -> None:
        if self._current is None:
            return
        try:
            endpoints.remove(self._current)
        except OSError as error:
            log.warning("could not save the endpoints: %s", error)
            self.status.setText(
                self.tr("The endpoints could not be saved: {error}").format(error=error)
            )
            return
        remote_models.forget(self._current)
        self.refresh()

    # -- testing ---------------------------------------------------------------------------
    @Slot()
    def test_connection(self) -> None:
        """Save, then fetch the models and the context size on the task runner."""
        if not self.save_endpoint():
            return
        endpoint = endpoints.get(self.name_edit.text())
        if endpoint is None:
            return
        key = self.key_edit.text().strip()
        remote = self.get_settings().remote
        timeouts = timeouts_for(endpoint, remote)

        def work(_context: TaskContext) -> tuple[int, int, str]:
            models = remote_http.refresh_models(endpoint, key, timeouts)
            size, source = (0, "")
            if models:
                size, source = remote_http.context_size(
                    endpoint, models[0].id, key, timeouts, remote.default_context
                )
            return len(models), size, source

        self.status.setText(self.tr("Connecting to {url}…").format(url=endpoint.base_url))
        self.test_button.setEnabled(False)
        task = self.runner.run(
            "engine-test",
            work,
            on_done=self._on_tested,
            on_failed=self._on_test_failed,
            expected=(RemoteError,),
        )
        self._task_id = task.id if task is not None else -1

    def _on_tested(self, task_id: int, result: tuple[int, int, str]) -> None:
        if task_id != self._task_id:
            return
        self.test_button.setEnabled(True)
        count, size, source = result
        text = self.tr("Connected: {n} model(s).").format(n=count)
        if source == "server":
            text += " " + self.tr("The server's context size is {n} tokens.").format(n=size)
        elif source == "default":
            text += " " + self.tr(
                "The server does not say its context size; {n} tokens are assumed (set it "
                "above if you know it)."
            ).format(n=size)
        self.status.setText(text)
        self._show_models()

    def _on_test_failed(self, task_id: int, error: object) -> None:
        if task_id != self._task_id:
            return
        self.test_button.setEnabled(True)
        self.status.setText(str(error))

    @Slot()
    def _use_selected(self) -> None:
        item = self.models.currentItem()
        if item is not None and self._current is not None:
            self.use_in_chat.emit(self._current, item.text())

    def shutdown(self) -> None:
        self.runner.shutdown()
