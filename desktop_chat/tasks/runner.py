"""Run a function on a worker thread with a cancel event; done/failed/progress come back on the
GUI thread; every task is registered, so shutdown can cancel and join them all.

Modelled on napari/superqt's ``thread_worker`` and Anki's ``taskman.run_in_background``:
background code never touches widgets, it returns a value (or raises), and the callbacks run
on the thread that owns the runner. QtCore only, so plain services can use it too.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

log = logging.getLogger(__name__)

_ids = itertools.count(1)
# Every task whose thread has not ended, across all runners: the shutdown path and the test
# fixture that fails on a dangling thread both read it.
_live: dict[int, Task] = {}
_live_lock = threading.Lock()


class TaskFailed(Exception):
    """An unexpected error in a task; str() is a sentence for the user, details in the log."""


class TaskContext:
    """What a task function sees: its cancel event and a way to report progress."""

    def __init__(self, cancel: threading.Event, report: Callable[[object], None]) -> None:
        self.cancel = cancel
        self._report = report

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def progress(self, value: object) -> None:
        """Queue ``value`` for the progress callback on the GUI thread (non-blocking)."""
        self._report(value)


@dataclass(eq=False)
class Task:
    """One background call: its id, name, cancel event and thread."""

    id: int
    name: str
    cancel_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    started_at: float = field(default_factory=time.monotonic)

    def cancel(self) -> None:
        self.cancel_event.set()

    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def join(self, timeout_s: float) -> bool:
        if self.thread is None:
            return True
        self.thread.join(timeout_s)
        return not self.thread.is_alive()


class _Bridge(QObject):
    """Lives on the runner's thread; signals emitted from a worker arrive there, queued."""

    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, object)


Callback = Callable[[int, Any], None]


@dataclass
class _Callbacks:
    on_done: Callback | None
    on_failed: Callback | None
    on_progress: Callback | None


class TaskRunner(QObject):
    """Starts tasks for one owner (a pane, a service); ``shutdown`` cancels and joins them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Bridge(self)
        self._bridge.done.connect(self._on_done)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.progress.connect(self._on_progress)
        self._mine: dict[int, Task] = {}
        self._callbacks: dict[int, _Callbacks] = {}
        self._closed = False

    def run(
        self,
        name: str,
        fn: Callable[[TaskContext], Any],
        on_done: Callback | None = None,
        on_failed: Callback | None = None,
        on_progress: Callback | None = None,
        expected: tuple[type[BaseException], ...] = (),
    ) -> Task | None:
        """Call ``fn(context)`` on a new thread. Callbacks get ``(task_id, value)`` on this
        runner's thread: ``on_done`` the return value, ``on_failed`` the exception (one of
        ``expected`` as raised, anything else as a ``TaskFailed`` sentence, logged in full),
        ``on_progress`` each ``context.progress(value)``. Exactly one of done/failed follows.
        None after shutdown: nothing new starts while the app closes."""
        if self._closed:
            return None
        task = Task(next(_ids), name)
        bridge = self._bridge

        def report(value: object) -> None:
            if not task.cancel_event.is_set():
                bridge.progress.emit(task.id, value)

        context = TaskContext(task.cancel_event, report)

        def body() -> None:
            try:
                result = fn(context)
            except expected as exc:
                bridge.failed.emit(task.id, exc)
            except Exception as exc:
                log.exception("task %s (%d) failed", name, task.id)
                message = QCoreApplication.translate(
                    "TaskRunner", "Something went wrong. Details are in the log file."
                )
                failure = TaskFailed(message)
                failure.__cause__ = exc
                bridge.failed.emit(task.id, failure)
            else:
                bridge.done.emit(task.id, result)
            finally:
                with _live_lock:
                    _live.pop(task.id, None)

        # Daemon: a task stuck in a C call must not keep the process alive after the window
        # closed; shutdown still waits for it up to its bound and logs one that will not stop.
        task.thread = threading.Thread(target=body, name=f"task-{name}-{task.id}", daemon=True)
        self._mine[task.id] = task
        self._callbacks[task.id] = _Callbacks(on_done, on_failed, on_progress)
        with _live_lock:
            _live[task.id] = task
        task.thread.start()
        return task

    def cancel(self, task_id: int) -> None:
        task = self._mine.get(task_id)
        if task is not None:
            task.cancel()

    def busy(self) -> bool:
        return any(task.running() for task in self._mine.values())

    def shutdown(self, timeout_s: float = 10.0) -> bool:
        """Cancel every task of this runner, wait up to ``timeout_s`` in all; False if one hangs."""
        self._closed = True
        tasks = list(self._mine.values())
        self._mine.clear()
        self._callbacks.clear()
        return _cancel_and_join(tasks, timeout_s)

    def _take(self, task_id: int, final: bool) -> _Callbacks | None:
        callbacks = self._callbacks.pop(task_id, None) if final else self._callbacks.get(task_id)
        if final:
            self._mine.pop(task_id, None)
        return callbacks

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        callbacks = self._take(task_id, final=True)
        if callbacks is not None and callbacks.on_done is not None:
            callbacks.on_done(task_id, result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        callbacks = self._take(task_id, final=True)
        if callbacks is not None and callbacks.on_failed is not None:
            callbacks.on_failed(task_id, error)

    @Slot(int, object)
    def _on_progress(self, task_id: int, value: object) -> None:
        callbacks = self._take(task_id, final=False)
        if callbacks is not None and callbacks.on_progress is not None:
            callbacks.on_progress(task_id, value)


def _cancel_and_join(tasks: list[Task], timeout_s: float) -> bool:
    for task in tasks:
        task.cancel()
    deadline = time.monotonic() + timeout_s
    all_joined = True
    for task in tasks:
        if not task.join(max(0.0, deadline - time.monotonic())):
            log.warning("task %s (%d) did not stop within %.0f s", task.name, task.id, timeout_s)
            all_joined = False
    return all_joined


def live_tasks() -> list[Task]:
    """Tasks whose thread still runs, from every runner."""
    with _live_lock:
        return [task for task in _live.values() if task.running()]


def shutdown_all(timeout_s: float = 10.0) -> bool:
    """Cancel and join every live task (app exit); False if one would not stop in time."""
    return _cancel_and_join(live_tasks(), timeout_s)
