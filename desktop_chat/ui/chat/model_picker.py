"""The chat header's model picker: local GGUFs and remote models, with the load in progress."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QSize, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from desktop_chat.chat.model_choices import ModelChoice, list_choices
from desktop_chat.engine.worker import display_name
from desktop_chat.tasks import TaskRunner
from desktop_chat.ui.shell.widgets import ElidingComboBox, plain_tooltip

log = logging.getLogger(__name__)

# However long a model's name, the picker asks for no more than this; the name is cut.
MAX_WIDTH_PX = 260


class ModelPicker(ElidingComboBox):
    """Lists what the chat can talk to; choosing one asks for it (the app loads it).

    The list is read on the task runner (scanning the library reads GGUF headers). While a
    model loads, the picker says so with the seconds elapsed and cannot be changed.
    """

    local_chosen = Signal(object)  # Path of a GGUF to load
    remote_chosen = Signal(str, str)  # endpoint, model

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName(self.tr("Model"))
        self.setToolTip(self.tr("The model this chat talks to"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.choices: list[ModelChoice] = []
        self.current_id = ""  # the choice in use (local:<path> or remote:<endpoint>/<model>)
        self.loading_name = ""
        self._loading_since = 0.0
        self._quiet = False
        self._scan_id = -1
        self.runner = TaskRunner(self)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_loading)
        self.activated.connect(self._on_activated)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(MAX_WIDTH_PX, hint.width()), hint.height())

    def showPopup(self) -> None:
        self.refresh()  # models imported, downloaded or deleted since: listed when it returns
        super().showPopup()

    # -- the list ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the models again, off the GUI thread."""
        self.runner.cancel(self._scan_id)
        task = self.runner.run(
            "model-choices",
            lambda _context: list_choices(),
            self._on_listed,
            self._on_list_failed,
            expected=(OSError, ValueError),
        )
        self._scan_id = task.id if task is not None else -1

    def _on_listed(self, task_id: int, choices: object) -> None:
        if task_id != self._scan_id:
            return
        self._scan_id = -1
        assert isinstance(choices, list)
        self.set_choices(choices)

    def _on_list_failed(self, task_id: int, error: object) -> None:
        if task_id == self._scan_id:
            self._scan_id = -1
            log.warning("model picker: could not list models: %s", error)

    def set_choices(self, choices: list[ModelChoice]) -> None:
        self.choices = list(choices)
        self._fill()

    def _fill(self) -> None:
        self._quiet = True
        self.clear()
        if self.loading_name:
            self.addItem(self._loading_text(), "")
        ids = [c.id for c in self.choices]
        if self.current_id and self.current_id not in ids and not self.loading_name:
            self.addItem(self._name_for(self.current_id), self.current_id)
        for choice in self.choices:
            label = choice.display_name
            if choice.remote:
                label = self.tr("{name} (remote)").format(name=label)
            self.addItem(label, choice.id)
            self.setItemData(self.count() - 1, plain_tooltip(label), 3)  # Qt.ToolTipRole
        if not self.count():
            self.addItem(self.tr("No model"), "")
        index = 0 if self.loading_name else max(0, self.findData(self.current_id))
        self.setCurrentIndex(index)
        self.setEnabled(not self.loading_name)
        self._quiet = False

    def _name_for(self, choice_id: str) -> str:
        if choice_id.startswith("local:"):
            return display_name(Path(choice_id.removeprefix("local:")))
        return choice_id.removeprefix("remote:")

    # -- what is in use ------------------------------------------------------------------
    def set_loading(self, path: Path) -> None:
        self.loading_name = display_name(path)
        self._loading_since = time.monotonic()
        self._tick.start()
        self._fill()

    def set_local(self, path: Path | None) -> None:
        """The local model now loaded (None: none, or the load failed)."""
        self._stop_loading()
        self.current_id = f"local:{path}" if path is not None else ""
        self._fill()

    def set_remote(self, endpoint: str, model: str) -> None:
        self._stop_loading()
        self.current_id = f"remote:{endpoint}/{model}"
        self._fill()

    def _stop_loading(self) -> None:
        self.loading_name = ""
        self._tick.stop()

    def _loading_text(self) -> str:
        seconds = int(time.monotonic() - self._loading_since)
        return self.tr("Loading {name}… {seconds} s").format(
            name=self.loading_name, seconds=seconds
        )

    @Slot()
    def _show_loading(self) -> None:
        if self.loading_name and self.count():
            self.setItemText(0, self._loading_text())

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        if self._quiet:
            return
        choice_id = self.itemData(index)
        choice = next((c for c in self.choices if c.id == choice_id), None)
        if choice is None or choice.id == self.current_id:
            return
        if choice.remote and choice.endpoint and choice.model:
            self.remote_chosen.emit(choice.endpoint, choice.model)
        elif choice.path is not None:
            self.local_chosen.emit(choice.path)

    def shutdown(self) -> None:
        self._tick.stop()
        self.runner.shutdown()
