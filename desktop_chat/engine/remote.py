"""RemoteEngine: a turn through an OpenAI-compatible server, with the local engine's events.

The chat connects it exactly like ``EngineClient``: ``started`` (PromptInfo), chunks, then
exactly one of ``finished`` / ``failed`` / ``cancelled`` (GenerationStats). The HTTP runs on
the task runner; Stop sets the task's cancel event and shuts the stream's socket.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from desktop_chat import settings as settings_mod
from desktop_chat.engine import endpoints, remote_http, tool_prompt
from desktop_chat.engine.remote_budget import fit_history
from desktop_chat.engine.remote_continue import continuation, server_kind
from desktop_chat.engine.remote_errors import RemoteError
from desktop_chat.engine.types import (
    ChatRequest,
    ContextOverflowError,
    EngineError,
    GenerationStats,
    PromptInfo,
    StopReason,
)
from desktop_chat.settings.schema import RemoteSettings
from desktop_chat.tasks import TaskContext, TaskRunner

log = logging.getLogger(__name__)

# Remote request ids never meet the local engine's (both flow into the same chat slots);
# they stay inside a Qt int.
REMOTE_ID_BASE = 1_000_000_000
CHUNK_INTERVAL_S = 0.016


def is_remote_request(request_id: int) -> bool:
    return request_id >= REMOTE_ID_BASE


@dataclass(frozen=True)
class RemoteTarget:
    endpoint: str
    model: str


def known_context(target: RemoteTarget, default: int) -> int:
    """A remote model's context size without asking the network (for a meter shown before
    the first turn): the endpoint's setting, what the server said this session or in its
    cached model list, else ``default``."""
    from desktop_chat.engine import remote_models

    endpoint = endpoints.get(target.endpoint)
    if endpoint is None:
        return default
    if endpoint.context_size:
        return endpoint.context_size
    listed = next(
        (m.context_size for m in remote_models.cached(endpoint.name) if m.id == target.model), 0
    )
    return remote_http.cached_context(endpoint, target.model) or listed or default


def timeouts_for(endpoint: endpoints.Endpoint, remote: RemoteSettings) -> remote_http.Timeouts:
    stall = endpoint.timeout_s or remote.stall_timeout_s
    return remote_http.Timeouts(connect_s=remote.connect_timeout_s, stall_s=stall)


def run_turn(
    target: RemoteTarget,
    request: ChatRequest,
    remote: RemoteSettings,
    context: TaskContext,
    on_event: Callable[[object], None],
) -> GenerationStats:
    """One remote turn, blocking: ``on_event`` gets a PromptInfo first, then text pieces."""
    endpoint = endpoints.get(target.endpoint)
    if endpoint is None:
        raise RemoteError(
            f"There is no endpoint named “{target.endpoint}” any more. Add it again in "
            "Settings → Engines, or pick another model.",
            "no-endpoint",
        )
    key = endpoints.get_key(endpoint.name)
    timeouts = timeouts_for(endpoint, remote)
    began = time.monotonic()
    n_ctx, _source = remote_http.context_size(
        endpoint, target.model, key, timeouts, remote.default_context
    )
    if context.cancelled():
        return GenerationStats(stop_reason=StopReason.STOPPED)
    fitted = fit_history(request, n_ctx)
    extra: dict[str, object] = {}
    if request.continue_last and fitted.messages and fitted.messages[-1].role == "assistant":
        # The partial answer goes last where the server resumes it; elsewhere it is asked for.
        going_on = continuation(server_kind(endpoint, key, timeouts), fitted.messages)
        fitted.messages, extra = going_on.messages, going_on.body
        if going_on.note:
            fitted.notes.append(going_on.note)
    on_event(PromptInfo(fitted.prompt_tokens, n_ctx, fitted.first_kept, tuple(fitted.notes)))
    tools = tool_prompt.parse_tools(request.tools)
    body = remote_http.request_body(
        endpoint, target.model, fitted.messages, request.gen, tools, request.tool_choice
    )
    body.update(extra)
    closer = remote_http.Closer()
    context.on_cancel(closer.close)
    pending: list[str] = []
    flushed_at = time.monotonic()

    def on_text(text: str) -> None:
        nonlocal flushed_at
        pending.append(text)
        now = time.monotonic()
        if now - flushed_at >= CHUNK_INTERVAL_S:
            on_event("".join(pending))
            pending.clear()
            flushed_at = now

    try:
        outcome = remote_http.stream_chat(
            endpoint, key, body, timeouts, on_text, context.cancel, closer
        )
    finally:
        if pending:  # the partial answer of a failed stream is kept too
            on_event("".join(pending))
    stats = outcome.stats(fitted.prompt_tokens, began)
    stats.dropped_messages = fitted.first_kept
    stats.notes = list(fitted.notes)
    return stats


class RemoteEngine(QObject):
    """The GUI thread's handle on remote turns; the same signals as ``EngineClient``."""

    started = Signal(int, object)
    chunk = Signal(int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int, object)
    context_full = Signal(int)

    def __init__(
        self,
        get_settings: Callable[[], settings_mod.Settings],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.get_settings = get_settings
        self.runner = TaskRunner(self)
        self._ids = itertools.count(REMOTE_ID_BASE)
        self._tasks: dict[int, int] = {}  # request id -> task id

    def generate(self, target: RemoteTarget, request: ChatRequest) -> int:
        """Start a turn; returns its request id (events follow on this thread)."""
        request_id = next(self._ids)
        remote = self.get_settings().remote

        def work(context: TaskContext) -> GenerationStats:
            return run_turn(target, request, remote, context, context.progress)

        task = self.runner.run(
            f"remote-{target.endpoint}",
            work,
            on_done=lambda _t, stats: self._on_done(request_id, stats),
            on_failed=lambda _t, error: self._on_failed(request_id, error),
            on_progress=lambda _t, event: self._on_event(request_id, event),
            expected=(EngineError,),
        )
        if task is None:  # the app is closing
            return 0
        self._tasks[request_id] = task.id
        return request_id

    def stop(self, request_id: int | None = None) -> None:
        """Stop one turn, or all; the stream is closed at once, a ``cancelled`` follows."""
        for rid, task_id in list(self._tasks.items()):
            if request_id is None or rid == request_id:
                self.runner.cancel(task_id)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _on_event(self, request_id: int, event: object) -> None:
        if isinstance(event, PromptInfo):
            self.started.emit(request_id, event)
        elif isinstance(event, str):
            self.chunk.emit(request_id, event)

    def _on_done(self, request_id: int, stats: GenerationStats) -> None:
        self._tasks.pop(request_id, None)
        if stats.stop_reason == StopReason.STOPPED:
            self.cancelled.emit(request_id, stats)
        else:
            self.finished.emit(request_id, stats)

    def _on_failed(self, request_id: int, error: object) -> None:
        self._tasks.pop(request_id, None)
        if isinstance(error, ContextOverflowError):
            self.context_full.emit(request_id)
        log.info("remote turn %d failed: %s", request_id, error)
        self.failed.emit(request_id, str(error))

    def shutdown(self) -> None:
        self.stop()
        self.runner.shutdown()
        self._tasks.clear()
