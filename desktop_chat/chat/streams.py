"""The answers being generated right now: which request writes which message, saved on a timer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_chat.chat.answer_writer import SAVE_INTERVAL_S, AnswerWriter, StreamingAnswer
from desktop_chat.engine.reasoning import Piece
from desktop_chat.engine.types import GenerationStats
from desktop_chat.store import Message, Store, StoreError

log = logging.getLogger(__name__)


class LiveAnswers(QObject):
    """Streaming answers by engine request id, each written to its message as it grows.

    Answers of chats the user has left go on streaming and saving here. A write the store
    refuses becomes ``refused`` (a sentence); the text stays in memory for the next save.
    """

    refused = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writer = AnswerWriter(store)
        self._streams: dict[int, StreamingAnswer] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(int(SAVE_INTERVAL_S * 1000))
        self._timer.timeout.connect(self._save_due)
        self._timer.start()

    @property
    def saving(self) -> bool:
        """The save timer runs: a crash loses at most about SAVE_INTERVAL_S of any answer."""
        return self._timer.isActive()

    def get(self, request_id: int) -> StreamingAnswer | None:
        return self._streams.get(request_id)

    def of_conversation(self, conversation_id: int) -> list[tuple[int, StreamingAnswer]]:
        return [(i, s) for i, s in self._streams.items() if s.conversation_id == conversation_id]

    # -- an answer's life ------------------------------------------------------------------
    def begin(
        self,
        conversation_id: int,
        question_id: int,
        *,
        model: str | None,
        citations: list[dict[str, Any]],
        continuing: Message | None = None,
    ) -> StreamingAnswer:
        """The message an answer is written to: a new placeholder, or the cut-off answer being
        continued. Raises StoreError (a sentence) when the store refuses it."""
        if continuing is not None:
            return self.writer.resume(continuing)
        return self.writer.start(conversation_id, question_id, model=model, citations=citations)

    def track(self, request_id: int, stream: StreamingAnswer) -> None:
        self._streams[request_id] = stream

    def move(self, old_id: int, new_id: int) -> StreamingAnswer | None:
        """The answer goes on under another request (a tool call's next round)."""
        stream = self._streams.pop(old_id, None)
        if stream is not None:
            self._streams[new_id] = stream
        return stream

    def add(self, request_id: int, text: str) -> StreamingAnswer | None:
        fed = self.feed(request_id, text)
        return fed[0] if fed else None

    def feed(self, request_id: int, text: str) -> tuple[StreamingAnswer, Piece] | None:
        """Add the model's text; returns the answer and what the chunk added to its answer
        and its reasoning (None if the request is not one of ours)."""
        stream = self._streams.get(request_id)
        if stream is None:
            return None
        return stream, stream.add(text)

    def finish(self, request_id: int, stats: GenerationStats) -> StreamingAnswer | None:
        """Complete the answer of ``request_id`` (None if it is not one of ours)."""
        stream = self._streams.pop(request_id, None)
        if stream is not None:
            self._write(self.writer.finish, stream, stats)
        return stream

    def fail(self, request_id: int) -> StreamingAnswer | None:
        stream = self._streams.pop(request_id, None)
        if stream is not None:
            self._write(self.writer.fail, stream)
        return stream

    # -- saving ----------------------------------------------------------------------------
    @Slot()
    def _save_due(self) -> None:
        for stream in self._streams.values():
            self._write(self.writer.save_due, stream)

    def flush(self) -> None:
        """Write every answer so far now, still streaming and incomplete (an error is shown)."""
        for stream in self._streams.values():
            self._write(self.writer.save_now, stream)

    def _write(self, write: Callable[..., None], *args: Any) -> bool:
        try:
            write(*args)
        except StoreError as error:
            log.warning("could not save the answer: %s", error)
            self.refused.emit(str(error))
            return False
        return True

    # -- the store's life ------------------------------------------------------------------
    def release(self) -> None:
        """Save every answer so far, marked stopped, and forget them (the store will close)."""
        self._timer.stop()
        for stream in self._streams.values():
            self._write(self.writer.abandon, stream)
        # The engine's last events for these answers find nothing to do.
        self._streams.clear()

    def use_store(self, store: Store) -> None:
        """Write to ``store`` from now on (after Delete all my data), saving on the timer again."""
        self.release()
        self.writer = AnswerWriter(store, self.writer.interval_s)
        self._timer.start()
