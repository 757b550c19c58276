"""Tools in the window's turns: the session's toolbox (started on the task runner), each local
turn's ToolLoop, the approval asked of the view, calls run off the GUI thread, next rounds.

Answering calls ``offer`` before a turn is sent (local or remote), ``filter`` on every chunk (the call
markup never reaches the answer), and ``after_round`` when the engine finishes; while calls
run the answer stays open and Stop (``stop``) cancels the call in flight.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_chat.chat.tool_loop import ALLOW_ONCE, ALWAYS, DENY, Round, ToolLoop
from desktop_chat.engine.types import ChatRequest
from desktop_chat.tasks import TaskContext, TaskRunner
from desktop_chat.tools import config
from desktop_chat.tools.specs import ToolCall, ToolOutcome, ToolSpec
from desktop_chat.tools.toolbox import Toolbox

log = logging.getLogger(__name__)


@dataclass
class _Active:
    loop: ToolLoop
    request: ChatRequest  # the first round's request: history and settings for the next
    round_text: str = ""
    pending: list[ToolCall] = field(default_factory=list)
    approved: list[ToolCall] = field(default_factory=list)
    decisions: dict[int, str] = field(default_factory=dict)
    round_: Round | None = None
    task_id: int = 0


class ToolTurns(QObject):
    """Widget-free; the view answers ``approval_needed`` with ``decide``."""

    approval_needed = Signal(int, str, object, str)  # request id, tool, arguments, server
    call_finished = Signal(int, object)  # request id, the call's record (for its card)
    problem = Signal(str)  # a server that could not be started, a save that failed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.toolbox: Toolbox | None = None
        self._config_stamp: object = None
        self._starting = False
        self._active: dict[int, _Active] = {}
        # "required": a turn's first round is grammar-constrained to a call ("auto": may call).
        self.tool_choice = "auto"
        # Answering's way to send the next round: (old request id, request) -> new id; and
        # to end a turn that Stop ended between rounds: (request id, the calls' records).
        self.send_round: Callable[[int, ChatRequest], int] = lambda _old, _req: 0
        self.end_turn: Callable[[int, list[dict[str, Any]]], None] = lambda _id, _records: None

    # -- the session's tools ---------------------------------------------------------------
    def refresh(self) -> None:
        """Start (again) the tools of tools.json when it changed; built-ins are ready at once."""
        path = config.config_file()
        try:
            stamp: object = path.stat().st_mtime_ns if path.exists() else None
        except OSError:
            stamp = None
        if stamp == self._config_stamp and self.toolbox is not None:
            return
        if self._starting:
            return
        self._config_stamp = stamp
        saved = config.load()
        old, self.toolbox = self.toolbox, Toolbox(saved)
        if old is not None:
            self._close_later(old)
        if any(s.enabled for s in saved.servers):
            self._starting = True
            box = self.toolbox
            self.runner.run(
                "mcp-start",
                lambda _context: box.start(),
                on_done=lambda _id, _value: self._started(box),
                on_failed=lambda _id, error: self._started(box, str(error)),
            )

    def _started(self, box: Toolbox, error: str = "") -> None:
        self._starting = False
        for sentence in [*box.problems, *([error] if error else [])]:
            self.problem.emit(sentence)

    def _close_later(self, box: Toolbox) -> None:
        self.runner.run("mcp-stop", lambda _context: box.close())

    def specs(self) -> list[ToolSpec]:
        return list(self.toolbox.specs.values()) if self.toolbox and not self._starting else []

    # -- a turn ----------------------------------------------------------------------------
    def offer(
        self, request: ChatRequest, remote: bool = False
    ) -> tuple[ChatRequest, ToolLoop | None]:
        """The request with the enabled tools offered (unchanged when there are none). A
        remote server gets no grammar from us, so "required" is only asked of local turns."""
        self.refresh()
        if self.toolbox is None or not self.specs() or request.json_schema:
            return request, None
        choice = "auto" if remote and self.tool_choice == "required" else self.tool_choice
        loop = ToolLoop(
            self.toolbox,
            lambda _c, _s: DENY,
            choice,
            self.toolbox.config.max_calls_per_turn,
        )
        offered = dataclasses.replace(
            request,
            tools=loop.tools(),
            gen=loop.gen(request.gen),
            json_schema=loop.schema(),
        )
        return offered, loop

    def track(self, request_id: int, request: ChatRequest, loop: ToolLoop | None) -> None:
        if loop is not None and request_id:
            self._active[request_id] = _Active(loop, request)

    def active(self, request_id: int) -> bool:
        return request_id in self._active

    def filter(self, request_id: int, text: str) -> str:
        """The chunk as the answer shows it: tool-call markup is held back and parsed."""
        active = self._active.get(request_id)
        if active is None:
            return text
        active.round_text += text
        return active.loop.feed(text)

    def after_round(
        self, request_id: int, stopped: bool = False
    ) -> tuple[bool, str, list[dict[str, Any]]]:
        """The engine ended a round: (whether calls now run, text held back until the end,
        the turn's call records when it is over)."""
        active = self._active.get(request_id)
        if active is None:
            return False, "", []
        if stopped:
            active.loop.cancel.set()
        round_ = active.loop.end_round(active.round_text)
        active.round_text = ""
        if not round_.calls or active.loop.cancel.is_set():
            self._active.pop(request_id, None)
            return False, round_.tail, active.loop.records()
        active.round_ = round_
        active.pending = list(round_.calls)
        self._ask_next(request_id)
        return True, round_.tail, []

    def _ask_next(self, request_id: int) -> None:
        active = self._active[request_id]
        while active.pending:
            call = active.pending[0]
            if active.loop.toolbox.trusted(call.name):
                active.decisions[id(call)] = ALLOW_ONCE
                active.pending.pop(0)
                continue
            spec = active.loop.toolbox.specs.get(call.name)
            self.approval_needed.emit(
                request_id, call.name, call.arguments, spec.server if spec else ""
            )
            return
        self._run(request_id)

    def decide(self, request_id: int, decision: str) -> None:
        """The view's answer for the call it was asked about."""
        active = self._active.get(request_id)
        if active is None or not active.pending:
            return
        call = active.pending.pop(0)
        active.decisions[id(call)] = decision
        self._ask_next(request_id)

    def _run(self, request_id: int) -> None:
        active = self._active[request_id]
        loop, round_ = active.loop, active.round_
        assert round_ is not None
        decisions = dict(active.decisions)
        active.decisions.clear()
        loop.approve = lambda call, _spec: decisions.get(id(call), DENY)
        before = len(loop.outcomes)

        def work(context: TaskContext) -> list[ToolOutcome]:
            context.on_cancel(loop.cancel.set)
            return loop.run(round_)

        task = self.runner.run(
            "tool-calls",
            work,
            on_done=lambda _id, _outcomes: self._ran(request_id, before),
            on_failed=lambda _id, _error: self._ran(request_id, before),
        )
        active.task_id = task.id if task is not None else 0
        if ALWAYS in decisions.values():
            self._save_trust(loop)

    def _save_trust(self, loop: ToolLoop) -> None:
        try:
            config.save(loop.toolbox.config)
            path = config.config_file()
            self._config_stamp = path.stat().st_mtime_ns  # our own write: no restart
        except OSError as error:
            log.warning("could not save tools.json: %s", error)

    def _ran(self, request_id: int, before: int) -> None:
        active = self._active.pop(request_id, None)
        if active is None:
            return
        active.task_id = 0
        for outcome in active.loop.outcomes[before:]:
            self.call_finished.emit(request_id, outcome.as_record())
        if active.loop.cancel.is_set():
            self.end_turn(request_id, active.loop.records())
            return
        base = active.request
        request = dataclasses.replace(
            base,
            history=active.loop.history(base.history),
            continue_last=False,
            json_schema=active.loop.schema(),
        )
        new_id = self.send_round(request_id, request)
        if new_id:
            self._active[new_id] = active
        else:
            self.end_turn(request_id, active.loop.records())

    @property
    def calls_running(self) -> bool:
        """Some turn's tool calls are running now (between two rounds)."""
        return any(active.task_id for active in self._active.values())

    def stop(self, request_id: int) -> bool:
        """Stop pressed: True when this turn was between rounds (a call running or asked)."""
        active = self._active.get(request_id)
        if active is None:
            return False
        active.loop.cancel.set()
        if active.pending:  # still asking: the rest is denied, the calls end at once
            active.pending.clear()
            self._run(request_id)
        return True

    def shutdown(self) -> None:
        self._active.clear()
        self.runner.shutdown()
        if self.toolbox is not None:
            box, self.toolbox = self.toolbox, None
            box.close()
