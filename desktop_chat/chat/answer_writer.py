"""Answers written while they stream: a placeholder first, saves as it grows, then completion."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from desktop_chat.engine.reasoning import Piece, ReasoningSplitter
from desktop_chat.engine.types import GenerationStats, StopReason
from desktop_chat.store.records import Message
from desktop_chat.store.store import Store

SAVE_INTERVAL_S = 0.5  # the answer on disk is never more than this behind the screen
THOUGHT_KEY = "thought_s"  # metadata: seconds the model spent thinking before it answered


@dataclass
class StreamingAnswer:
    """One answer being generated and the message it is saved in."""

    conversation_id: int
    message_id: int
    base: str = ""  # text already there when continuing a cut-off answer
    base_reasoning: str = ""
    saved_length: int = 0
    saved_at: float = 0.0
    # The model's text, split into its reasoning (thought blocks) and the answer.
    splitter: ReasoningSplitter = field(default_factory=ReasoningSplitter)
    # When the model began and stopped thinking (monotonic seconds), for "Thought for 12 s".
    first_at: float | None = None
    thought_from: float | None = None
    thought_until: float | None = None
    # The answer made tool calls: kept even when it holds no text (its cards are its content).
    keep: bool = False

    @property
    def text(self) -> str:
        return self.base + self.splitter.answer

    @property
    def reasoning(self) -> str:
        return self.base_reasoning + self.splitter.reasoning

    @property
    def thought_s(self) -> float | None:
        if self.thought_from is None:
            return None
        return max(0.0, (self.thought_until or time.monotonic()) - self.thought_from)

    @property
    def size(self) -> int:
        return len(self.text) + len(self.reasoning)

    def add(self, chunk: str) -> Piece:
        """Add the model's next chunk; returns what it added to the answer and the reasoning."""
        return self._track(self.splitter.feed(chunk))

    def add_reasoning(self, chunk: str) -> Piece:
        """Add reasoning that arrived apart (a remote server's reasoning_content)."""
        self.base_reasoning += chunk
        return self._track(Piece(reasoning=chunk))

    def end(self) -> Piece:
        """The stream ended: text held back as a possible tag is answer text after all."""
        return self._track(self.splitter.finish())

    def _track(self, piece: Piece) -> Piece:
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        if piece.reasoning and self.thought_from is None:
            # A reset found the whole stream so far was thinking.
            self.thought_from = self.first_at if piece.reset else now
        if (
            self.thought_from is not None
            and self.thought_until is None
            and (piece.answer or (piece.reset and self.splitter.answer))
        ):
            self.thought_until = now
        return piece


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
        return StreamingAnswer(
            message.conversation_id,
            message.id,
            base,
            message.reasoning,
            saved_length=len(base) + len(message.reasoning),
            splitter=ReasoningSplitter(trim=not base),
        )

    def save_due(self, answer: StreamingAnswer, now: float | None = None) -> None:
        """Write the answer if it grew and the last write is ``interval_s`` old."""
        now = time.monotonic() if now is None else now
        if answer.size != answer.saved_length and now - answer.saved_at >= self.interval_s:
            self._save(answer, now)

    def save_now(self, answer: StreamingAnswer) -> None:
        """Write the answer so far at once, still incomplete (before an error dialog)."""
        if answer.size != answer.saved_length:
            self._save(answer, time.monotonic())

    def _save(self, answer: StreamingAnswer, now: float) -> None:
        size = answer.size
        self.store.update_message(
            answer.message_id, content=answer.text, reasoning=answer.reasoning
        )
        answer.saved_length, answer.saved_at = size, now

    def finish(self, answer: StreamingAnswer, stats: GenerationStats) -> None:
        """Complete the message, or remove it when it holds no text at all."""
        answer.end()
        if not answer.text and not answer.reasoning and not answer.keep:
            self.store.delete_message(answer.message_id)
        else:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                reasoning=answer.reasoning,
                metadata=self._metadata(answer),
                complete=True,
                stop_reason=str(stats.stop_reason),  # type: ignore[arg-type]
                tokens=stats.completion_tokens,
                ttft_s=stats.ttft_s,
                tokens_per_s=stats.tokens_per_s,
            )

    def fail(self, answer: StreamingAnswer) -> None:
        """Keep what was generated, marked as interrupted; drop an empty placeholder."""
        answer.end()
        if not answer.text and not answer.reasoning:
            self.store.delete_message(answer.message_id)
        else:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                reasoning=answer.reasoning,
                metadata=self._metadata(answer),
                complete=False,
                stop_reason=str(StopReason.ERROR),  # type: ignore[arg-type]
            )

    def abandon(self, answer: StreamingAnswer) -> None:
        """At exit: save the text so far, marked stopped and incomplete."""
        answer.end()
        if answer.text or answer.reasoning:
            self.store.update_message(
                answer.message_id,
                content=answer.text,
                reasoning=answer.reasoning,
                complete=False,
                stop_reason=str(StopReason.STOPPED),  # type: ignore[arg-type]
            )

    def _metadata(self, answer: StreamingAnswer) -> dict[str, Any]:
        """The message's metadata with how long the model thought (kept on a continue)."""
        metadata = dict(self.store.get_message(answer.message_id).metadata)
        thought = answer.thought_s
        if thought is not None:
            metadata[THOUGHT_KEY] = round(float(metadata.get(THOUGHT_KEY) or 0.0) + thought, 1)
        return metadata
