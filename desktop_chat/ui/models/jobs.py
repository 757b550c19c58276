"""Background jobs for the Models pane: one short-lived QThread per job, results back by signal."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from desktop_chat.models import hub

log = logging.getLogger(__name__)

JobFunction = Callable[[threading.Event], Any]

# Python references to every job until its thread has ended: a QThread destroyed while it
# runs aborts the process, and the pane that started a job may be deleted before it ends.
_live: dict[int, tuple[QThread, _JobWorker]] = {}
_next_id = 0


def running_model_threads() -> int:
    """How many Models-pane jobs still run; tests fail on one left behind."""
    return sum(1 for thread, _worker in list(_live.values()) if thread.isRunning())


class JobFailed(Exception):
    """An unexpected error in a job; str() is a sentence for the user, details in the log."""


class _JobWorker(QObject):
    """Calls one function on the thread it was moved to and reports exactly once."""

    succeeded = Signal(int, object)
    failed = Signal(int, object)  # the exception: str() is a sentence for the user
    ended = Signal(int)

    def __init__(
        self, job_id: int, fn: JobFunction, cancel: threading.Event, expected: tuple[type, ...]
    ) -> None:
        super().__init__()
        self.job_id = job_id
        self.cancel = cancel
        self._fn = fn
        self._expected = expected

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.cancel)
        except self._expected as exc:
            self.failed.emit(self.job_id, exc)
        except Exception:
            log.exception("models job %d failed", self.job_id)
            message = QCoreApplication.translate(
                "JobRunner", "Something went wrong. Details are in the log file."
            )
            self.failed.emit(self.job_id, JobFailed(message))
        else:
            self.succeeded.emit(self.job_id, result)
        finally:
            self.ended.emit(self.job_id)
            self.thread().quit()


class JobRunner(QObject):
    """Starts background jobs for one owner; ``shutdown`` cancels and joins all of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mine: dict[int, threading.Event] = {}
        self._closed = False

    def start(
        self,
        name: str,
        fn: JobFunction,
        on_done: Callable[[int, object], None],
        on_error: Callable[[int, object], None],
        expected: tuple[type[BaseException], ...] = (),
    ) -> int:
        """Run ``fn(cancel_event)`` on a new thread; ``on_done``/``on_error`` must be slots.

        Returns the job id (-1 after shutdown): slots compare it to drop stale results.
        """
        global _next_id
        if self._closed:
            return -1
        _next_id += 1
        job_id = _next_id
        cancel = threading.Event()
        thread = QThread()  # no parent: it must outlive a deleted owner until it ends
        thread.setObjectName(f"models-{name}")
        worker = _JobWorker(job_id, fn, cancel, expected)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.succeeded.connect(on_done)
        worker.failed.connect(on_error)
        worker.ended.connect(self._on_ended)
        _live[job_id] = (thread, worker)
        self._mine[job_id] = cancel
        thread.start()
        return job_id

    def cancel(self, job_id: int) -> None:
        event = self._mine.get(job_id)
        if event is not None:
            event.set()

    def busy(self) -> bool:
        return bool(self._mine)

    @Slot(int)
    def _on_ended(self, job_id: int) -> None:
        self._mine.pop(job_id, None)
        entry = _live.get(job_id)
        if entry is not None:
            entry[0].wait(2000)  # "ended" comes just before the thread's last instructions
            if not entry[0].isRunning():
                _live.pop(job_id, None)

    def shutdown(self, timeout_s: float = 10.0) -> bool:
        """Cancel every job of this runner and wait for its thread; False if one hangs."""
        self._closed = True
        for event in self._mine.values():
            event.set()
        all_joined = True
        for job_id in list(self._mine):
            entry = _live.get(job_id)
            if entry is None:
                continue
            if entry[0].wait(int(timeout_s * 1000)):
                _live.pop(job_id, None)
            else:
                log.warning("models job %d did not stop within %.0f s", job_id, timeout_s)
                all_joined = False
        self._mine.clear()
        return all_joined


def hub_disabled_by_env() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def probe_hub(_cancel: threading.Event) -> str | None:
    """None when the Hub answers within the probe timeout; else a reason for the log."""
    if hub_disabled_by_env():
        return "HF_HUB_OFFLINE is set"
    return hub.probe_error(timeout=hub.PROBE_TIMEOUT_S)
