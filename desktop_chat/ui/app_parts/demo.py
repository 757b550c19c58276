"""The customer-service demo's knowledge base, prepared on the task runner so the window never
waits; the demo's button and the chat banner say it is under way."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from desktop_chat.tasks import Task, TaskContext, TaskRunner
from desktop_chat.ui.shell.banner import Banner

log = logging.getLogger(__name__)


class DemoPreparer(QObject):
    """Creates or refreshes the demo's knowledge base off the GUI thread.

    Its first run embeds every sample passage (seconds on a small machine); later runs only
    stat the files. ``ready`` or ``failed`` (a sentence, also shown on the banner) arrives on
    the GUI thread; meanwhile the button is disabled and the banner says why.
    """

    ready = Signal()
    failed = Signal(str)

    def __init__(self, button: QPushButton, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self._task: Task | None = None
        self._button = button
        self._banner = banner

    @property
    def preparing(self) -> bool:
        return self._task is not None

    def prepare(self) -> bool:
        """Start preparing; False when it is already under way or the app is closing."""
        if self._task is not None:
            return False
        from desktop_chat.kb.index import KbError  # lazily: the KB stack is slow to import

        self._task = self.runner.run(
            "demo-kb",
            _ensure_demo_kb,
            on_done=self._on_done,
            on_failed=self._on_failed,
            expected=(KbError, OSError),
        )
        if self._task is None:
            return False
        self._button.setEnabled(False)
        self._banner.show_info(self._preparing_text())
        return True

    def _preparing_text(self) -> str:
        return self.tr("Preparing the demo's knowledge base…")

    def stop(self, timeout_s: float = 10.0) -> None:
        """Drop the preparation under way and wait for its thread (before the KB is deleted)."""
        task, self._task = self._task, None
        self._settled()
        if task is not None:
            task.cancel()
            if not task.join(timeout_s):
                log.warning("the demo's knowledge base still being written after %.1f s", timeout_s)

    def shutdown(self) -> None:
        self._task = None
        self.runner.shutdown()

    def _current(self, task_id: int) -> bool:
        if self._task is None or self._task.id != task_id:
            return False  # stopped meanwhile: its result is no longer wanted
        self._task = None
        self._settled()
        return True

    def _settled(self) -> None:
        self._button.setEnabled(True)
        if self._banner.text == self._preparing_text():
            self._banner.hide()

    def _on_done(self, task_id: int, _name: object) -> None:
        if self._current(task_id):
            self.ready.emit()

    def _on_failed(self, task_id: int, error: object) -> None:
        if self._current(task_id):
            sentence = self.tr("The demo could not be set up: {error}").format(error=error)
            self._banner.show_error(sentence)
            self.failed.emit(sentence)


def _ensure_demo_kb(_context: TaskContext) -> str:
    # Looked up at call time, so a test can watch which thread does the work.
    from desktop_chat.kb import bilingual, library

    name = library.ensure_demo_kb()
    bilingual.dictionary()  # read here, not during the visitor's first question
    return name
