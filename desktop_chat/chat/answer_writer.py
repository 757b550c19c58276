"""Answers written while they stream: a placeholder first, saves as it grows, then completion."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from desktop_chat.engine.types import GenerationStats, StopReason
from desktop_chat.store.records import Message
from desktop_chat.store.store import Store

SAVE_INTERVAL_S = 0.5  # the answer on disk is never more than this behind the screen


@dataclass
class StreamingAnswer:
    """One answer being generated and the message it is saved in."""

    conversation_id: int
    message_id: int
    base: str = ""  # text already there when continuing a cut-off answer
    parts: list[str] = field(default_factory=list)
    saved_length: int = 0
    saved_at: float = 0.0

    @property
    def text(self) -> str:
        return self.base + "".join(self.parts)

    def add(self, piece: str) -> None:
        self.parts.append(piece)


class AnswerWriter:
    """Keeps streaming answers on disk so a crash loses at most ``interval_s`` of text.

    Every method may raise StoreError (whose str() is a sentence) when the database refuses
    a write; the answer's text stays in memory, so a later save can still succeed.
    """

    def __init__(self, store: Store, interval_s: float = SAVE_INTERVAL_S) -> None:
        self.store = store
        self.interval_s = interval_s

    def start(
        self,
        conversation_id: int,
        question_id: int,
        *,
        model: str | None,
        citations: list[dict[str, Any]],
    ) -> StreamingAnswer:
        placeholder = self.store.add_message(
            conversation_id,
            "assistant",
            "",
            parent_id=question_id,
            complete=False,
            model=model,
            citations=citations,
        )
        return StreamingAnswer(conversation_id, placeholder.id)

    def resume(self, message: Message) -> StreamingAnswer:
        """Continue a cut-off answer in the same message."""
        self.store.update_message(message.id, complete=False)
        base = message.content
        return StreamingAnswer(message.conversation_id, message.id, base, saved_length=len(base))

    def save_due(self, answer: StreamingAnswer, now: float | None = None) -> None:
        """Write the answer if it grew and the last write is ``interval_s`` old."""
        now = time.monotonic() if now is None else now
        text = answer.text
        if len(text) != answer.saved_length and now - answer.saved_at >= self.interval_s:
            self.store.update_message(answer.message_id, content=text)
            answer.saved_length, answer.saved_at = len(text), now

    def save_now(self, answer: StreamingAnswer) -> None:
        """Write the answer so far at once, still incomplete (before an error dialog)."""
        text = answer.text
        if len(text) != answer.saved_length:
            self.store.update_message(answer.message_id, content=text)
            answer.saved_length, answer.saved_at = len(text), time.monotonic()

    def finish(self, answer: StreamingAnswer, stats: GenerationStats) -> None:
        """Complete the message, or remove it when it holds no text at all."""
        if not answer.text:
            self.store.delete_message(answer.message_id)
        else:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                complete=True,
                stop_reason=str(stats.stop_reason),  # type: ignore[arg-type]
                tokens=stats.completion_tokens,
                ttft_s=stats.ttft_s,
                tokens_per_s=stats.tokens_per_s,
            )

    def fail(self, answer: StreamingAnswer) -> None:
        """Keep what was generated, marked as interrupted; drop an empty placeholder."""
        if not answer.text:
            self.store.delete_message(answer.message_id)
        else:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                complete=False,
                stop_reason=str(StopReason.ERROR),  # type: ignore[arg-type]
            )

    def abandon(self, answer: StreamingAnswer) -> None:
        """At exit: save the text so far, marked stopped and incomplete."""
        if answer.text:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                complete=False,
                stop_reason=str(StopReason.STOPPED),  # type: ignore[arg-type]
            )
