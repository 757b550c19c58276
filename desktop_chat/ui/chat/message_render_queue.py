"""Renders finished messages a few at a time, so opening a chat of long answers never waits."""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from shiboken6 import isValid

# How long the render queue may hold the GUI thread in one turn of the event loop.
RENDER_BUDGET_S = 0.02


class Renderable(Protocol):
    """What the queue renders: a message view (MessageView) with a preview shown meanwhile."""

    def render_now(self) -> None: ...


class RenderQueue(QObject):
    """Renders finished messages in turns of the event loop, newest first."""

    rendered = Signal(object)  # the view just rendered
    # Around each turn's batch, so that a view of them can keep the reader's place.
    batch_started = Signal()
    batch_finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[Renderable] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render_some)

    def schedule(self, view: Renderable) -> None:
        if view in self._views:
            self._views.remove(view)
        self._views.append(view)
        self._timer.start()

    def discard(self, view: Renderable) -> None:
        if view in self._views:
            self._views.remove(view)

    def clear(self) -> None:
        self._views.clear()
        self._timer.stop()

    @property
    def pending(self) -> int:
        return len(self._views)

    @Slot()
    def _render_some(self) -> None:
        deadline = time.perf_counter() + RENDER_BUDGET_S
        self.batch_started.emit()
        while self._views:
            view = self._views.pop()  # the newest: at the bottom, where the reader is
            if not isValid(view):
                continue
            view.render_now()
            self.rendered.emit(view)
            if time.perf_counter() >= deadline:
                break
        self.batch_finished.emit()
        if self._views:
            self._timer.start()
