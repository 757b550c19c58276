"""EngineClient: the GUI thread's handle on the engine worker — request ids, stop, shutdown."""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from typing import Any, Protocol

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from desktop_chat.engine.types import ChatRequest, LoadParams, ModelInfo
from desktop_chat.engine.worker import EngineWorker, TextRequest

log = logging.getLogger(__name__)

_live: weakref.WeakSet[EngineClient] = weakref.WeakSet()


def running_engine_threads() -> int:
    """How many engine threads are still running; tests fail on one left behind."""
    return sum(1 for client in _live if client.thread_running)


class GenerationSink(Protocol):
    """Where an outside request's events go. Called on the ENGINE thread: hand them on (e.g.
    with ``loop.call_soon_threadsafe``), never block, never touch widgets."""

    def started(self, info: Any) -> None: ...
    def chunk(self, text: str) -> None: ...
    def finished(self, stats: Any) -> None: ...
    def cancelled(self, stats: Any) -> None: ...
    def failed(self, message: str) -> None: ...
    def context_full(self) -> None: ...  # the prompt does not fit; failed follows


class _Outside:
    """Requests from outside the window (the API server): sinks by id, a bounded count.

    Thread-safe: requests arrive on the server's thread, events on the engine thread.
    """

    def __init__(self, changed: Any) -> None:
        self._lock = threading.Lock()
        self._sinks: dict[int, tuple[GenerationSink, threading.Event]] = {}
        self._changed = changed

    def add(self, request_id: int, sink: GenerationSink, limit: int) -> threading.Event | None:
        with self._lock:
            if len(self._sinks) >= limit:
                return None
            abort = threading.Event()
            self._sinks[request_id] = (sink, abort)
            count = len(self._sinks)
        self._changed.emit(count)
        return abort

    def get(self, request_id: int) -> GenerationSink | None:
        with self._lock:
            entry = self._sinks.get(request_id)
        return entry[0] if entry else None

    def pop(self, request_id: int) -> GenerationSink | None:
        with self._lock:
            entry = self._sinks.pop(request_id, None)
            count = len(self._sinks)
        if entry is None:
            return None
        self._changed.emit(count)
        return entry[0]

    def abort_all(self) -> None:
        with self._lock:
            events = [abort for _sink, abort in self._sinks.values()]
        for event in events:
            event.set()

    def count(self) -> int:
        with self._lock:
            return len(self._sinks)


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
    # How many server requests are waiting for or using the engine (emitted from any thread;
    # a window's turn sent meanwhile waits behind them).
    outside_requests_changed = Signal(int)

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
        self._worker.started.connect(self._on_started)
        self._worker.chunk.connect(self._on_chunk)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.context_full.connect(self._on_context_full)
        # Outside requests' events go straight from the engine thread to their sinks: the
        # server must not depend on the GUI thread's event loop (it may be busy, or blocked).
        self._outside = _Outside(self.outside_requests_changed)
        direct = Qt.ConnectionType.DirectConnection
        self._worker.started.connect(self._outside_started, direct)
        self._worker.chunk.connect(self._outside_chunk, direct)
        self._worker.finished.connect(self._outside_finished, direct)
        self._worker.cancelled.connect(self._outside_cancelled, direct)
        self._worker.failed.connect(self._outside_failed, direct)
        self._worker.context_full.connect(self._outside_context_full, direct)
        self._thread.start()
        self.model: ModelInfo | None = None
        self.loading_id = 0
        self._closed = False
        _live.add(self)

    # -- requests --------------------------------------------------------------------------
    def load(self, params: LoadParams) -> int:
        """Queue a model load; any generation in flight is stopped first."""
        self.stop_everything()
        request_id = next(self._ids)
        self.loading_id = request_id
        self.model = None
        self._load_requested.emit(request_id, params)
        return request_id

    def unload(self) -> None:
        self.stop_everything()
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
        """Stop one of the window's requests, or all of them; safe to call at any time."""
        if request_id is None:
            for event in self._aborts.values():
                event.set()
        elif request_id in self._aborts:
            self._aborts[request_id].set()

    def stop_everything(self) -> None:
        """Stop the window's requests and the server's: the model is about to change."""
        self.stop()
        self.stop_outside()

    def stop_outside(self) -> None:
        """Stop every server request, waiting or running; callable from any thread."""
        self._outside.abort_all()

    def submit(
        self, request: ChatRequest | TextRequest, sink: GenerationSink, limit: int
    ) -> tuple[int, threading.Event] | None:
        """Queue an outside request behind everything already queued; callable from ANY thread.

        Returns its id and abort event, or None when ``limit`` outside requests are already
        waiting or running (the caller answers "busy"). Unlike ``generate`` it stops nothing.
        """
        if self._closed:
            return None
        request_id = next(self._ids)  # itertools.count is atomic under the GIL
        abort = self._outside.add(request_id, sink, limit)
        if abort is None:
            return None
        # Emitted from a foreign thread, the signal is queued to the engine thread: the
        # worker takes requests one at a time in the order they were posted (FIFO).
        self._generate_requested.emit(request_id, request, abort)
        return request_id, abort

    @property
    def outside_requests(self) -> int:
        """Server requests waiting for or using the engine now."""
        return self._outside.count()

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

    # The window's signals carry only the window's requests: the server's have their sinks.
    @Slot(int, object)
    def _on_started(self, request_id: int, info: object) -> None:
        if request_id in self._aborts:
            self.started.emit(request_id, info)

    @Slot(int, str)
    def _on_chunk(self, request_id: int, text: str) -> None:
        if request_id in self._aborts:
            self.chunk.emit(request_id, text)

    @Slot(int)
    def _on_context_full(self, request_id: int) -> None:
        if request_id in self._aborts:
            self.context_full.emit(request_id)

    @Slot(int, object)
    def _on_finished(self, request_id: int, stats: object) -> None:
        if self._aborts.pop(request_id, None) is not None:
            self.finished.emit(request_id, stats)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if self._aborts.pop(request_id, None) is not None:
            self.failed.emit(request_id, message)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: object) -> None:
        if self._aborts.pop(request_id, None) is not None:
            self.cancelled.emit(request_id, stats)

    # -- outside requests, on the ENGINE thread (direct connections) ------------------------
    def _outside_started(self, request_id: int, info: object) -> None:
        sink = self._outside.get(request_id)
        if sink is not None:
            sink.started(info)

    def _outside_chunk(self, request_id: int, text: str) -> None:
        sink = self._outside.get(request_id)
        if sink is not None:
            sink.chunk(text)

    def _outside_context_full(self, request_id: int) -> None:
        sink = self._outside.get(request_id)
        if sink is not None:
            sink.context_full()

    def _outside_finished(self, request_id: int, stats: object) -> None:
        sink = self._outside.pop(request_id)
        if sink is not None:
            sink.finished(stats)

    def _outside_cancelled(self, request_id: int, stats: object) -> None:
        sink = self._outside.pop(request_id)
        if sink is not None:
            sink.cancelled(stats)

    def _outside_failed(self, request_id: int, message: str) -> None:
        sink = self._outside.pop(request_id)
        if sink is not None:
            sink.failed(message)

    @property
    def thread_running(self) -> bool:
        return self._thread.isRunning()

    # -- shutdown --------------------------------------------------------------------------
    def engine_thread_object(self) -> QObject:
        """A QObject living on the engine's thread, for benchmarks that must call llama.cpp
        from that same thread (a call from another thread splits OpenMP's thread team)."""
        return self._worker

    def shutdown(self) -> None:
        """Stop generation, free the model on its own thread, and join the thread."""
        if self._closed:
            return
        self._closed = True
        self.stop_everything()
        if self._thread.isRunning():
            QMetaObject.invokeMethod(
                self._worker, "close", Qt.ConnectionType.BlockingQueuedConnection
            )
            self._thread.quit()
            if not self._thread.wait(10_000):
                log.error("the engine thread did not stop in 10 s")
        self._worker.deleteLater()
