"""A turn whose answer calls tools, seen from the answering side: the tools offered to its first
round, its calls run when a round ends, the next round sent to the same engine and streamed
into the same stored answer, and the turn completed when no call is left (or Stop came)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_chat.chat.streams import LiveAnswers
from desktop_chat.chat.tool_turns import ToolTurns
from desktop_chat.chat.turn_engines import TurnEngines
from desktop_chat.engine.remote import RemoteTarget, is_remote_request
from desktop_chat.engine.types import ChatRequest, GenerationStats, StopReason

Complete = Callable[[int, GenerationStats, list[dict[str, Any]]], None]


class ToolRounds:
    """Between the engine and ``ToolTurns``; the owner shows chunks and completes answers."""

    def __init__(
        self,
        tools: ToolTurns,
        answers: LiveAnswers,
        engines: TurnEngines,
        show_chunk: Callable[[int, str], None],
        complete: Complete,
        moved: Callable[[int, int], None],
    ) -> None:
        self.tools = tools
        self._answers = answers
        self._engines = engines
        self._show_chunk = show_chunk
        self._complete = complete
        self._moved = moved  # (old request id, new one): the shown answer follows its turn
        self._stats: dict[int, GenerationStats] = {}  # rounds whose calls are running
        tools.send_round = self._next_round
        tools.end_turn = self._end_turn

    def send(self, target: RemoteTarget | None, request: ChatRequest) -> int:
        """A turn's first round: the enabled tools offered, sent to its engine, tracked."""
        offered, loop = self.tools.offer(request, remote=target is not None)
        request_id = self._engines.generate(target, offered)
        self.tools.track(request_id, offered, loop)
        return request_id

    def round_ended(self, request_id: int, stats: GenerationStats, stopped: bool) -> None:
        running, tail, records = self.tools.after_round(request_id, stopped)
        self._show_chunk(request_id, tail)
        if running:  # its tool calls run now; the next round goes on with this answer
            self._stats[request_id] = stats
            return
        self._complete(request_id, stats, records)

    def _next_round(self, old_id: int, request: ChatRequest) -> int:
        self._stats.pop(old_id, None)
        stream = self._answers.get(old_id)
        target = (
            self._engines.target(stream.conversation_id, None)
            if stream is not None and is_remote_request(old_id)
            else None
        )
        new_id = self._engines.generate(target, request)
        self._answers.move(old_id, new_id)
        self._moved(old_id, new_id)
        return new_id

    def _end_turn(self, request_id: int, records: list[dict[str, Any]]) -> None:
        """Stop ended the turn between rounds: it completes with what the calls recorded."""
        stats = self._stats.pop(request_id, None) or GenerationStats()
        stats.stop_reason = StopReason.STOPPED
        self._complete(request_id, stats, records)
