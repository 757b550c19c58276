"""The bridge between uvicorn's asyncio thread and the engine worker: requests in, events out.

Requests enter through ``EngineClient.submit`` (thread-safe: a queued signal to the engine
thread, FIFO behind whatever is already waiting). Events come back on the engine thread and
cross into the event loop with ``loop.call_soon_threadsafe``; an answer whose reader goes away
sets its abort event, so the engine is free again within a token or two.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from desktop_chat.engine.types import ChatRequest, GenerationStats, ModelInfo
from desktop_chat.engine.worker import TextRequest

log = logging.getLogger(__name__)


class Engine(Protocol):
    """What the bridge needs of the engine client (EngineClient fits)."""

    model: ModelInfo | None

    def submit(
        self, request: ChatRequest | TextRequest, sink: Any, limit: int
    ) -> tuple[int, Any] | None: ...

    def stop_outside(self) -> None: ...


class QueueFull(Exception):
    """``limit`` server requests are already waiting for or using the engine."""


@dataclass
class Event:
    kind: str  # "started", "chunk", "finished", "cancelled", "failed"
    value: Any = None
    context_full: bool = False

    @property
    def terminal(self) -> bool:
        return self.kind in ("finished", "cancelled", "failed")


class _LoopSink:
    """Receives one request's events on the engine thread and posts them to the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, generation: Generation) -> None:
        self._loop = loop
        self._generation = generation
        self._context_full = False

    def _post(self, event: Event) -> None:
        # RuntimeError: the loop has closed (the server stopped); nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._generation.deliver, event)

    def started(self, info: Any) -> None:
        self._post(Event("started", info))

    def chunk(self, text: str) -> None:
        self._post(Event("chunk", text))

    def finished(self, stats: Any) -> None:
        self._post(Event("finished", stats))

    def cancelled(self, stats: Any) -> None:
        self._post(Event("cancelled", stats))

    def context_full(self) -> None:
        self._context_full = True

    def failed(self, message: str) -> None:
        self._post(Event("failed", message, self._context_full))


class Generation:
    """One request in the engine: iterate its events; ``close`` stops it if still running."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._abort: Any = None
        self.done = False
        self.ended = False
        self.stats = GenerationStats()
        # Called on the loop when the engine is done with the request, read or not: the
        # request log records it then, with the engine's figures, even for a reader gone.
        self.on_end: Callable[[Event], None] | None = None

    def deliver(self, event: Event) -> None:
        if event.terminal:
            self.ended = True
            if isinstance(event.value, GenerationStats):
                self.stats = event.value
            if self.on_end is not None:
                try:
                    self.on_end(event)
                except Exception:
                    log.exception("could not record a finished request")
        self._queue.put_nowait(event)

    async def events(self) -> AsyncIterator[Event]:
        try:
            while not self.done:
                event = await self._queue.get()
                if event.terminal:
                    self.done = True
                yield event
        finally:
            self.close()

    def close(self) -> None:
        """The reader is gone (or the answer is over): never let the engine keep generating."""
        if not self.ended and self._abort is not None:
            self._abort.set()


class EngineBridge:
    """The server's handle on the engine; its methods run on the event loop's thread."""

    def __init__(self, engine: Engine, max_queue: int) -> None:
        self.engine = engine
        self.max_queue = max_queue

    def model(self) -> ModelInfo | None:
        return self.engine.model

    def start(self, request: ChatRequest | TextRequest) -> Generation:
        """Queue ``request``; raises QueueFull when the queue is at its limit."""
        generation = Generation()
        sink = _LoopSink(asyncio.get_running_loop(), generation)
        ticket = self.engine.submit(request, sink, self.max_queue)
        if ticket is None:
            raise QueueFull()
        generation._abort = ticket[1]
        return generation
