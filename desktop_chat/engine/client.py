"""EngineClient: the GUI thread's handle on the engine worker — request ids, stop, shutdown."""

from __future__ import annotations

import itertools
import logging
import threading
import weakref

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from desktop_chat.engine.types import ChatRequest, LoadParams, ModelInfo
from desktop_chat.engine.worker import EngineWorker

log = logging.getLogger(__name__)

_live: weakref.WeakSet[EngineClient] = weakref.WeakSet()


def running_engine_threads() -> int:
    """How many engine threads are still running; tests fail on one left behind."""
    return sum(1 for client in _live if client.thread_running)


class EngineClient(QObject):
    """Owns the worker's QThread for the life of the app; all methods run on the GUI thread.

    Stop is a ``threading.Event`` set right here: a queued slot would only run after the
    generation it is meant to stop.
    """

    model_loading = Signal(int, str)
    model_loaded = Signal(int, object)
    model_load_failed = Signal(int, str)
    started = Signal(int, object)
    chunk = Signal(int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int, object)
    context_full = Signal(int)  # the "ask" policy refused this request; failed follows

    _load_requested = Signal(int, object)
    _generate_requested = Signal(int, object, object)
    _unload_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._aborts: dict[int, threading.Event] = {}
        self._thread = QThread()
        self._thread.setObjectName("engine")
        self._worker = EngineWorker()
        self._worker.moveToThread(self._thread)
        self._load_requested.connect(self._worker.load)
        self._generate_requested.connect(self._worker.generate)
        self._unload_requested.connect(self._worker.unload)
        self._worker.model_loading.connect(self.model_loading)
        self._worker.model_loaded.connect(self._on_loaded)
        self._worker.model_load_failed.connect(self._on_load_failed)
        self._worker.started.connect(self.started)
        self._worker.chunk.connect(self.chunk)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.context_full.connect(self.context_full)
        self._thread.start()
        self.model: ModelInfo | None = None
        self.loading_id = 0
        self._closed = False
        _live.add(self)

    # -- requests --------------------------------------------------------------------------
    def load(self, params: LoadParams) -> int:
        """Queue a model load; any generation in flight is stopped first."""
        self.stop()
        request_id = next(self._ids)
        self.loading_id = request_id
        self.model = None
        self._load_requested.emit(request_id, params)
        return request_id

    def unload(self) -> None:
        self.stop()
        self.model = None
        self._unload_requested.emit()

    def generate(self, request: ChatRequest) -> int:
        """Queue a turn. An earlier turn still running is stopped, so two never interleave."""
        self.stop()
        request_id = next(self._ids)
        abort = threading.Event()
        self._aborts[request_id] = abort
        self._generate_requested.emit(request_id, request, abort)
        return request_id

    def stop(self, request_id: int | None = None) -> None:
        """Stop one request, or every request in flight; safe to call at any time."""
        if request_id is None:
            for event in self._aborts.values():
                event.set()
        elif request_id in self._aborts:
            self._aborts[request_id].set()

    @property
    def busy(self) -> bool:
        return bool(self._aborts)

    @property
    def loading(self) -> bool:
        return self.loading_id != 0

    # -- bookkeeping on the GUI thread -----------------------------------------------------
    @Slot(int, object)
    def _on_loaded(self, request_id: int, info: ModelInfo) -> None:
        if request_id == self.loading_id:
            self.loading_id = 0
            self.model = info
        self.model_loaded.emit(request_id, info)

    @Slot(int, str)
    def _on_load_failed(self, request_id: int, message: str) -> None:
        if request_id == self.loading_id:
            self.loading_id = 0
        self.model_load_failed.emit(request_id, message)

    @Slot(int, object)
    def _on_finished(self, request_id: int, stats: object) -> None:
        self._aborts.pop(request_id, None)
        self.finished.emit(request_id, stats)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        self._aborts.pop(request_id, None)
        self.failed.emit(request_id, message)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: object) -> None:
        self._aborts.pop(request_id, None)
        self.cancelled.emit(request_id, stats)

    @property
    def thread_running(self) -> bool:
        return self._thread.isRunning()

    # -- shutdown --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop generation, free the model on its own thread, and join the thread."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        if self._thread.isRunning():
            QMetaObject.invokeMethod(
                self._worker, "close", Qt.ConnectionType.BlockingQueuedConnection
            )
            self._thread.quit()
            if not self._thread.wait(10_000):
                log.error("the engine thread did not stop in 10 s")
        self._worker.deleteLater()
