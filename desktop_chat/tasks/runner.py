"""Run a function on a worker thread with a cancel event; done/failed/progress come back on the
GUI thread; every task is registered, so shutdown can cancel and join them all.

Modelled on napari/superqt's ``thread_worker`` and Anki's ``taskman.run_in_background``:
background code never touches widgets, it returns a value (or raises), and the callbacks run
on the thread that owns the runner. QtCore only, so plain services can use it too.
"""

from __future__ import annotations

import contextlib
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

    def __init__(self, task: Task, report: Callable[[object], None]) -> None:
        self.cancel = task.cancel_event
        self._task = task
        self._report = report

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def progress(self, value: object) -> None:
        """Queue ``value`` for the progress callback on the GUI thread (non-blocking)."""
        self._report(value)

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Also call ``callback`` (on the cancelling thread) when the task is cancelled: for
        work that waits on something other than the event (a condition, a socket)."""
        self._task.add_cancel_callback(callback)


@dataclass(eq=False)
class Task:
    """One background call: its id, name, cancel event and thread."""

    id: int
    name: str
    cancel_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    started_at: float = field(default_factory=time.monotonic)
    _on_cancel: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cancel(self) -> None:
        with self._lock:
            self.cancel_event.set()
            callbacks, self._on_cancel = self._on_cancel, []
        for callback in callbacks:
            _call_quietly(callback, self)

    def add_cancel_callback(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if not self.cancel_event.is_set():
                self._on_cancel.append(callback)
                return
        _call_quietly(callback, self)  # already cancelled: at once

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
        bridge = self._bridge

        def emit(signal: Any, task_id: int, value: object) -> None:
            # RuntimeError: the owner (and with it the bridge) was deleted while the task ran;
            # nobody is left to tell, and the worker thread must still end cleanly.
            with contextlib.suppress(RuntimeError):
                signal.emit(task_id, value)

        def body(context: TaskContext) -> None:
            task_id = context._task.id
            try:
                result = fn(context)
            except expected as exc:
                emit(bridge.failed, task_id, exc)
            except Exception as exc:
                log.exception("task %s (%d) failed", name, task_id)
                message = QCoreApplication.translate(
                    "TaskRunner", "Something went wrong. Details are in the log file."
                )
                failure = TaskFailed(message)
                failure.__cause__ = exc
                emit(bridge.failed, task_id, failure)
            else:
                emit(bridge.done, task_id, result)

        def report(task: Task, value: object) -> None:
            if not task.cancel_event.is_set():
                emit(bridge.progress, task.id, value)

        task = _start(name, body, report)
        # Kept until the thread has ended, not just until its result arrived: shutdown must
        # join the last instructions of a task too.
        self._mine = {i: t for i, t in self._mine.items() if t.running()}
        self._mine[task.id] = task
        self._callbacks[task.id] = _Callbacks(on_done, on_failed, on_progress)
        task.thread.start()  # type: ignore[union-attr]
        return task

    def cancel(self, task_id: int) -> None:
        task = self._mine.get(task_id)
        if task is not None:
            task.cancel()

    def busy(self) -> bool:
        """True while a task's result has yet to arrive."""
        return bool(self._callbacks)

    def shutdown(self, timeout_s: float = 10.0) -> bool:
        """Cancel every task of this runner, wait up to ``timeout_s`` in all; False if one hangs."""
        self._closed = True
        tasks = list(self._mine.values())
        self._mine.clear()
        self._callbacks.clear()
        return _cancel_and_join(tasks, timeout_s)

    def _take(self, task_id: int, final: bool) -> _Callbacks | None:
        return self._callbacks.pop(task_id, None) if final else self._callbacks.get(task_id)

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


def spawn(name: str, fn: Callable[[TaskContext], object]) -> Task:
    """Run ``fn(context)`` on a registered thread with no callbacks: for plain-Python owners
    (a queue's worker loop) that report through their own means. Exceptions are logged."""

    def body(context: TaskContext) -> None:
        try:
            fn(context)
        except Exception:
            log.exception("task %s (%d) failed", name, context._task.id)

    task = _start(name, body, lambda _task, _value: None)
    task.thread.start()  # type: ignore[union-attr]
    return task


def _start(
    name: str,
    body: Callable[[TaskContext], None],
    report: Callable[[Task, object], None],
) -> Task:
    """A registered task whose thread runs ``body`` and leaves the registry as it ends."""
    task = Task(next(_ids), name)
    context = TaskContext(task, lambda value: report(task, value))

    def target() -> None:
        try:
            body(context)
        finally:
            with _live_lock:
                _live.pop(task.id, None)

    # Daemon: a task stuck in a C call must not keep the process alive after the window
    # closed; shutdown still waits for it up to its bound and logs one that will not stop.
    task.thread = threading.Thread(target=target, name=f"task-{name}-{task.id}", daemon=True)
    with _live_lock:
        _live[task.id] = task
    return task


def _call_quietly(callback: Callable[[], None], task: Task) -> None:
    try:
        callback()
    except Exception:  # a cancel hook must not stop the others or the caller's shutdown
        log.exception("cancel callback of task %s (%d) failed", task.name, task.id)


def _cancel_and_join(tasks: list[Task], timeout_s: float) -> bool:
    for task in tasks:
        task.cancel()
    deadline = time.monotonic() + timeout_s
    all_joined = True
    for task in tasks:
        if not task.join(max(0.0, deadline - time.monotonic())):
            # Left running, never destroyed: killing a thread mid-write would corrupt what it
            # writes. It is a daemon, so it cannot keep the process alive either.
            log.warning("task %s (%d) did not stop within %.1f s", task.name, task.id, timeout_s)
            all_joined = False
    return all_joined


def live_tasks() -> list[Task]:
    """Tasks whose thread still runs, from every runner."""
    with _live_lock:
        return [task for task in _live.values() if task.running()]


def shutdown_all(timeout_s: float = 10.0) -> bool:
    """Cancel and join every live task (app exit); False if one would not stop in time."""
    return _cancel_and_join(live_tasks(), timeout_s)
