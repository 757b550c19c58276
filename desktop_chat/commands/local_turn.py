"""A headless turn on the local engine: the model loaded, Qt's event loop run until the turn
ends, Ctrl+C caught; the plain and the tool-using chat subclass it and answer its events."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any

# How often Python gets control back from Qt's event loop: it runs the Ctrl+C handler and the
# streaming save (which itself writes at most every SAVE_INTERVAL_S).
TICK_MS = 100


class LocalTurn:
    """Runs the engine for one headless turn; subclasses fill in the event handlers."""

    client: Any
    qloop: Any

    def run_engine(self, load_params: Any) -> None:
        """Load the model and run the loop until a handler quits it; then shut the engine
        down and persist, whatever happened."""
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        from desktop_chat.engine.client import EngineClient

        app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
        self.client = EngineClient()
        self.qloop = QEventLoop()
        tick = QTimer()
        tick.setInterval(TICK_MS)
        tick.timeout.connect(self._tick)
        self.client.model_loaded.connect(self._on_loaded)
        self.client.model_load_failed.connect(self._on_failed)
        self.client.started.connect(self._on_started)
        self.client.chunk.connect(self._on_chunk)
        self.client.finished.connect(self._on_done)
        self.client.cancelled.connect(self._on_done)
        self.client.failed.connect(self._on_failed)
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            self.client.load(load_params)
            tick.start()
            self.qloop.exec()
            tick.stop()
            self.client.shutdown()
            self._persist()
        finally:
            signal.signal(signal.SIGINT, previous)
        del app

    def context_size(self) -> int:
        """The loaded model's context window (what decides whether a document goes whole)."""
        model = getattr(self.client, "model", None)
        return int(model.n_ctx) if model is not None else 4096

    # -- what the subclasses answer ---------------------------------------------------------
    def _tick(self) -> None:
        """Every TICK_MS while the loop runs."""

    def _on_loaded(self, _request_id: int, _info: object) -> None:
        raise NotImplementedError

    def _on_started(self, _request_id: int, _info: Any) -> None:
        raise NotImplementedError

    def _on_chunk(self, _request_id: int, _text: str) -> None:
        raise NotImplementedError

    def _on_done(self, _request_id: int, _stats: object) -> None:
        raise NotImplementedError

    def _on_failed(self, _request_id: int, _message: str) -> None:
        raise NotImplementedError

    def _on_sigint(self, _signum: int, _frame: FrameType | None) -> None:
        raise NotImplementedError

    def _persist(self) -> None:
        """After the engine is shut down: write what is left to write."""
