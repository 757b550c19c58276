"""A turn's knowledge-base lookup off the GUI thread: one at a time, dropped by Stop or a newer turn."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from desktop_chat.chat.turns import Turn
from desktop_chat.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

JOIN_S = 10.0  # how long closing the store waits for a lookup to end


@dataclass
class PendingTurn:
    """A question whose answer starts once its knowledge base has been searched."""

    task: Task
    conversation_id: int
    question_id: int
    shown: bool = True  # False while the user looks at another chat


class TurnLookups(QObject):
    """Builds grounded turns through the task runner; ``ready`` or ``failed`` follows, unless
    the lookup was cancelled first: then nothing follows at all."""

    ready = Signal(object, object)  # PendingTurn, Turn
    failed = Signal(object, str)  # PendingTurn, a sentence

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.pending: PendingTurn | None = None

    @property
    def waiting(self) -> bool:
        """A lookup runs for the chat on screen."""
        return self.pending is not None and self.pending.shown

    def start(self, build: Callable[[], Turn], conversation_id: int, question_id: int) -> bool:
        """Run ``build`` (which reads the knowledge base) in the background; False if closing."""
        self.cancel()
        task = self.runner.run(
            "ground-turn", lambda _context: build(), self._on_done, self._on_failed
        )
        if task is None:
            return False
        self.pending = PendingTurn(task, conversation_id, question_id)
        return True

    def leave(self) -> None:
        """The user opened another chat; the lookup goes on, its answer streams unseen."""
        if self.pending is not None:
            self.pending.shown = False

    def return_to(self, conversation_id: int) -> None:
        if self.pending is not None and self.pending.conversation_id == conversation_id:
            self.pending.shown = True

    def cancel(self, conversation_id: int | None = None) -> Task | None:
        """Drop the pending lookup (only if it is for ``conversation_id``, when given)."""
        pending = self.pending
        if pending is None or conversation_id not in (None, pending.conversation_id):
            return None
        self.pending = None
        pending.task.cancel()  # its result, when it comes, finds nothing waiting for it
        return pending.task

    def release(self) -> None:
        """Cancel and wait for the lookup (bounded): the store or knowledge base may go next."""
        task = self.cancel()
        if task is not None and not task.join(JOIN_S):
            log.warning("a knowledge-base lookup did not stop in %.0f s", JOIN_S)

    def shutdown(self) -> None:
        self.release()
        self.runner.shutdown(JOIN_S)

    def _take(self, task_id: int) -> PendingTurn | None:
        pending = self.pending
        if pending is None or pending.task.id != task_id:
            return None  # cancelled, or superseded by a newer turn
        self.pending = None
        return pending

    def _on_done(self, task_id: int, turn: object) -> None:
        pending = self._take(task_id)
        if pending is not None:
            self.ready.emit(pending, turn)

    def _on_failed(self, task_id: int, error: object) -> None:
        pending = self._take(task_id)
        if pending is not None:
            self.failed.emit(pending, str(error))
