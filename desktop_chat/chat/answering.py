"""Turns through the engine: start (after a knowledge-base lookup when grounded), stream, stop,
finish, with every answer saved as it grows. The widget-free base of the chat controller."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop_chat import settings as settings_mod
from desktop_chat.chat.attachment_context import add_to_turn
from desktop_chat.chat.attachments import ChatAttachments
from desktop_chat.chat.lookups import PendingTurn, TurnLookups
from desktop_chat.chat.profiles import Profile
from desktop_chat.chat.quoting import quote_answer
from desktop_chat.chat.streams import LiveAnswers
from desktop_chat.chat.tool_turns import ToolTurns
from desktop_chat.chat.turns import Turn, build_turn, needs_grounding
from desktop_chat.engine import endpoints
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget, is_remote_request
from desktop_chat.engine.types import (
    ChatMessage,
    ChatRequest,
    GenerationStats,
    PromptInfo,
    StopReason,
)
from desktop_chat.store import Message, Store, StoreError

log = logging.getLogger(__name__)

DROP_OLDEST = "drop_oldest"  # the action a context-full problem offers; the view names it


class Answering(QObject):
    """The open conversation's answers and those still streaming for chats left behind.

    Sentences it passes on come from the layers below (store, engine, task runner); the view
    owns its own words.
    """

    # The view's picture of the chat
    conversation_changed = Signal(object)  # the open conversation's id, or None for a new chat
    messages_changed = Signal(int)  # the branch was reloaded; a message id to bring into view
    conversations_changed = Signal()  # titles or order changed: the list needs a refresh
    profile_changed = Signal(str)  # a chat with another profile was opened
    # The shown answer
    stream_started = Signal(int, str)  # message id being written (a view of it is replaced), text
    stream_chunk = Signal(str)  # text added to the answer
    reasoning_chunk = Signal(str)  # text added to the reasoning (thought block) above it
    stream_ended = Signal(object)  # the final text, or None when the view merely leaves it
    busy_changed = Signal(bool)  # an answer is being prepared or generated for this chat
    grounding_started = Signal(str)  # the knowledge base being searched for this turn
    prompt_info = Signal(int, int)  # tokens in the prompt, context size
    window_changed = Signal()  # the first message the model still sees moved
    model_changed = Signal()  # the chat now talks to another model (remote_target changed)
    stats_changed = Signal(object)  # GenerationStats of the turn just finished here
    # Words for the user
    notice = Signal(str)  # an informative sentence; "" clears it
    problem = Signal(str, str)  # a sentence, and an action to offer ("" or DROP_OLDEST)
    draft_returned = Signal(str)  # a question that could not be stored goes back to the composer
    # Every turn, shown or not
    turn_finished = Signal(int, object)  # request id, GenerationStats
    turn_failed = Signal(int, str)

    def __init__(
        self,
        client: EngineClient,
        get_settings: Callable[[], settings_mod.Settings],
        store: Store,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.get_settings = get_settings
        self.store = store
        self.answers = LiveAnswers(store, self)
        self.answers.refused.connect(self._on_refused)
        self.lookups = TurnLookups(self)
        self.lookups.ready.connect(self._on_grounded)
        self.lookups.failed.connect(self._on_grounding_failed)
        # Documents attached to a chat; their window share follows the loaded model's.
        self.attachments = ChatAttachments(
            lambda: self.store, lambda: self.client.model.n_ctx if self.client.model else 4096, self
        )
        self.profile: Profile | None = None
        # The app supplies the lookup; profiles live above the chat.
        self.find_profile: Callable[[str], Profile | None] = lambda _id: None
        self.conversation_id: int | None = None
        self.branch: list[Message] = []  # the open conversation's active branch, oldest first
        self.request_id = 0  # the answer shown in the view (0: none)
        # Turns of conversations whose model is ``remote:<endpoint>/<model>`` go here; text
        # leaves the machine only for those. ``remote_choice``: the pick for new chats.
        self.remote = RemoteEngine(get_settings, self)
        self.remote_choice: RemoteTarget | None = None
        self._context_full: set[int] = set()
        self._window_start: dict[int, int] = {}
        self._last_question = 0
        self._round_stats: dict[int, GenerationStats] = {}  # rounds whose calls are running
        # Tools offered to every turn (tools.json), local or remote; calls run between rounds.
        self.tools = ToolTurns(self)
        self.tools.send_round = self._next_round
        self.tools.end_turn = self._end_tool_turn
        self.tools.problem.connect(lambda sentence: self.problem.emit(sentence, ""))
        self.tools.refresh()  # configured MCP servers start now, off this thread

        for engine in (client, self.remote):
            engine.started.connect(self._on_started)
            engine.chunk.connect(self._on_chunk)
            engine.finished.connect(self._on_finished)
            engine.cancelled.connect(self._on_cancelled)
            engine.failed.connect(self._on_failed)
            engine.context_full.connect(self._on_context_full)

    # -- state the view reads --------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """An answer for the open chat is being looked up or generated (Send becomes Stop)."""
        return bool(self.request_id) or self.lookups.waiting

    @property
    def answer_text(self) -> str:
        """The text of the answer shown so far."""
        stream = self.answers.get(self.request_id)
        return stream.text if stream else ""

    @property
    def answer_reasoning(self) -> str:
        """What the model of the shown answer has thought so far (its thought block)."""
        stream = self.answers.get(self.request_id)
        return stream.reasoning if stream else ""

    @property
    def answer_thought_s(self) -> float | None:
        """How long the model of the shown answer thought (None: it did not)."""
        stream = self.answers.get(self.request_id)
        return stream.thought_s if stream else None

    def first_kept(self) -> int:
        """Index in the branch of the first message the model still sees."""
        return self._window_start.get(self.conversation_id or 0, 0)

    def remote_target(self, conversation_id: int | None) -> RemoteTarget | None:
        """The remote model a conversation talks to (None: the local one); a new chat (None)
        gets ``remote_choice``."""
        if conversation_id is None:
            return self.remote_choice
        try:
            model = self.store.get_conversation(conversation_id).model
        except StoreError:
            return None
        parsed = endpoints.parse_remote_id(model)
        return RemoteTarget(*parsed) if parsed else None

    def _model_record(self, target: RemoteTarget | None) -> str | None:
        """What a conversation and its answers record as their model."""
        if target is not None:
            return endpoints.remote_id(target.endpoint, target.model)
        return self.client.model.name if self.client.model else None

    def _engine_of(self, request_id: int) -> EngineClient | RemoteEngine:
        return self.remote if is_remote_request(request_id) else self.client

    def reload(self) -> None:
        """Read the open conversation's active branch again (after an edit of the store)."""
        if self.conversation_id is None:
            return
        try:
            self.branch = self.store.active_thread(self.conversation_id)
        except StoreError as error:
            self.problem.emit(str(error), "")
            return
        self.messages_changed.emit(0)

    def answer(self, question_id: int, continue_message: Message | None = None) -> int:
        """Generate an answer to ``question_id`` (or continue ``continue_message``)."""
        assert self.conversation_id is not None
        self.lookups.cancel()  # a newer turn wins, as the engine stops an older one
        try:
            branch = self.store.active_thread(self.conversation_id)
            conversation = self.store.get_conversation(self.conversation_id)
        except StoreError as error:
            self.problem.emit(str(error), "")
            return 0
        upto = next((i for i, m in enumerate(branch) if m.id == question_id), None)
        if upto is None:
            return 0
        context = branch[: upto + 1]
        if continue_message is not None:
            context = [*context, continue_message]
        history = [
            ChatMessage(m.role, m.content) for m in context if m.role in ("user", "assistant")
        ]
        target = self.remote_target(self.conversation_id)
        if target is not None:
            model_key: str | None = endpoints.remote_id(target.endpoint, target.model)
        else:
            model_key = self.client.model.path.name if self.client.model else None
        settings, profile = self.get_settings(), self.profile
        turn_args: dict[str, Any] = dict(
            model_key=model_key,
            profile=profile,
            conversation_overrides=conversation.settings,
            conversation_key=str(self.conversation_id),
            min_start=self._window_start.get(self.conversation_id, 0),
            continue_last=continue_message is not None,
            policy=conversation.context_policy,
        )
        self._last_question = question_id
        conversation_id, store = self.conversation_id, self.store
        question = next((m.content for m in reversed(history) if m.role == "user"), "")
        grounded = needs_grounding(profile, history, continue_message is not None)
        # Attached documents too big to go whole are searched per question, off this thread.
        indexed = continue_message is None and self.attachments.indexed_name(conversation_id)
        if grounded or indexed:
            if not self.lookups.start(
                lambda: add_to_turn(
                    build_turn(settings, history, **turn_args), store, conversation_id, question
                ),
                conversation_id,
                question_id,
            ):
                return 0  # the app is closing
            self.grounding_started.emit(
                profile.knowledge_base if grounded and profile else str(indexed)
            )
            self.busy_changed.emit(True)
            return 0  # the answer starts when the lookup is done
        turn = add_to_turn(
            build_turn(settings, history, **turn_args),
            store,
            conversation_id,
            question,
            retrieve=False,
        )
        return self._start(turn, question_id, continue_message)

    def new_conversation_for(self, title: str) -> int | None:
        """Store the new chat now: a document is attached to it before its first question."""
        policy = self.get_settings().app.context_policy
        try:
            conversation = self.store.create_conversation(
                title,
                model=self._model_record(self.remote_choice),
                profile=self.profile.id if self.profile else None,
                context_policy="ask" if policy == "ask" else "drop_oldest",
            )
        except StoreError as error:
            self.problem.emit(str(error), "")
            return None
        self.conversation_id = conversation.id
        self.branch = []
        self.conversations_changed.emit()
        self.conversation_changed.emit(conversation.id)
        return conversation.id

    @Slot(object, object)
    def _on_grounded(self, pending: PendingTurn, turn: Turn) -> None:
        self._start(turn, pending.question_id, None, pending)

    @Slot(object, str)
    def _on_grounding_failed(self, pending: PendingTurn, sentence: str) -> None:
        if pending.shown:
            self.problem.emit(sentence, "")
            self.busy_changed.emit(self.busy)

    def _start(
        self,
        turn: Turn,
        question_id: int,
        continue_message: Message | None,
        pending: PendingTurn | None = None,
    ) -> int:
        """Write the answer's placeholder and send the turn to the engine."""
        shown = pending.shown if pending is not None else True
        conversation_id = pending.conversation_id if pending else self.conversation_id
        assert conversation_id is not None
        if shown:
            self.notice.emit(turn.notice)
        target = self.remote_target(conversation_id)
        try:
            stream = self.answers.begin(
                conversation_id,
                question_id,
                model=self._model_record(target),
                citations=turn.citations,
                continuing=continue_message,
            )
        except StoreError as error:
            if shown:
                self.problem.emit(str(error), "")
                self.busy_changed.emit(self.busy)
            return 0
        request, tools = self.tools.offer(turn.request, remote=target is not None)
        if target is not None:
            request_id = self.remote.generate(target, request)
        else:
            request_id = self.client.generate(request)
        self.tools.track(request_id, request, tools)
        self.answers.track(request_id, stream)
        if shown:
            self.request_id = request_id
            self.stream_started.emit(stream.message_id, stream.text)
            self.busy_changed.emit(True)
        return request_id

    def stop(self) -> None:
        """Stop the shown answer; during the knowledge-base lookup nothing is sent at all."""
        if self.lookups.waiting:
            self.lookups.cancel()
            self.notice.emit("")
            self.busy_changed.emit(self.busy)
        elif self.request_id:
            self._engine_of(self.request_id).stop(self.request_id)
            self.tools.stop(self.request_id)  # between rounds: the running call ends

    # -- the context policy ----------------------------------------------------------------
    def drop_oldest_and_retry(self) -> None:
        """The "ask" policy stopped this chat; the user chose to let old turns go."""
        if self.conversation_id is None:
            return
        if not self._store_safely(
            self.store.update_conversation, self.conversation_id, context_policy="drop_oldest"
        ):
            return
        if self._last_question and not self.busy:
            self.answer(self._last_question)

    # -- engine events ---------------------------------------------------------------------
    @Slot(int)
    def _on_context_full(self, request_id: int) -> None:
        self._context_full.add(request_id)

    @Slot(int, object)
    def _on_started(self, request_id: int, info: PromptInfo) -> None:
        stream = self.answers.get(request_id)
        if stream is None:
            return
        self._window_start[stream.conversation_id] = info.first_kept
        if info.opens_thinking:
            stream.splitter.open()
        if request_id != self.request_id:
            return
        self.prompt_info.emit(info.prompt_tokens, info.n_ctx)
        self.window_changed.emit()
        if info.notes:
            self.notice.emit(" ".join(info.notes))

    @Slot(int, str)
    def _on_chunk(self, request_id: int, text: str) -> None:
        self._show_chunk(request_id, self.tools.filter(request_id, text))

    def _show_chunk(self, request_id: int, text: str) -> None:
        if not text:
            return
        fed = self.answers.feed(request_id, text)
        if fed is None or request_id != self.request_id:
            return  # another chat's tokens never reach this view
        stream, piece = fed
        if piece.reset:
            # What was shown as answer was the model thinking: the view starts over with both.
            self.stream_started.emit(stream.message_id, stream.text)
            return
        if piece.reasoning:
            self.reasoning_chunk.emit(piece.reasoning)
        if piece.answer:
            self.stream_chunk.emit(piece.answer)

    def _store_safely(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run a store write; a refusal becomes a sentence, the text stays in memory."""
        try:
            write(*args, **kwargs)
        except StoreError as error:
            log.warning("the store refused a write: %s", error)
            self.problem.emit(str(error), "")
            return False
        return True

    @Slot(str)
    def _on_refused(self, sentence: str) -> None:
        self.problem.emit(sentence, "")

    @Slot(int, object)
    def _on_finished(self, request_id: int, stats: GenerationStats) -> None:
        self._round_ended(request_id, stats, stopped=False)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: GenerationStats) -> None:
        self._round_ended(request_id, stats, stopped=True)

    def _round_ended(self, request_id: int, stats: GenerationStats, stopped: bool) -> None:
        running, tail, records = self.tools.after_round(request_id, stopped)
        self._show_chunk(request_id, tail)
        if running:  # its tool calls run now; the next round goes on with this answer
            self._round_stats[request_id] = stats
            return
        self._complete(request_id, stats, records)

    def _next_round(self, old_id: int, request: ChatRequest) -> int:
        self._round_stats.pop(old_id, None)
        stream = self.answers.get(old_id)
        target = (
            self.remote_target(stream.conversation_id)
            if stream is not None and is_remote_request(old_id)
            else None
        )
        new_id = self.remote.generate(target, request) if target else self.client.generate(request)
        self.answers.move(old_id, new_id)
        if self.request_id == old_id:
            self.request_id = new_id
        return new_id

    def _end_tool_turn(self, request_id: int, records: list[dict[str, Any]]) -> None:
        stats = self._round_stats.pop(request_id, None) or GenerationStats()
        stats.stop_reason = StopReason.STOPPED
        self._complete(request_id, stats, records)

    def _complete(
        self,
        request_id: int,
        stats: GenerationStats,
        tool_calls: list[dict[str, Any]] | None = None,
    ) -> None:
        if tool_calls and (live := self.answers.get(request_id)) is not None:
            live.keep = True
        stream = self.answers.finish(request_id, stats)
        if stream is None:
            return
        if tool_calls:
            self._store_safely(self.store.update_message, stream.message_id, tool_calls=tool_calls)
        quote_answer(self.store, stream.message_id)  # before the reload that shows it
        if request_id == self.request_id:
            self.request_id = 0
            self.stream_ended.emit(stream.text)
            self.reload()
            self.stats_changed.emit(stats)
        self.conversations_changed.emit()
        self.busy_changed.emit(self.busy)
        self.turn_finished.emit(request_id, stats)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        stream = self.answers.fail(request_id)
        context_full = request_id in self._context_full
        self._context_full.discard(request_id)
        if stream is None:
            return
        if request_id == self.request_id:
            self.request_id = 0
            self.stream_ended.emit(stream.text)
            self.reload()
            self.problem.emit(message, DROP_OLDEST if context_full else "")
        self.busy_changed.emit(self.busy)
        self.turn_failed.emit(request_id, message)

    # -- the store's life ------------------------------------------------------------------
    def release_store(self) -> None:
        """Write whatever is streaming and stop using the store (before it closes)."""
        self.lookups.release()
        self.attachments.release()
        self.answers.release()
        self.request_id = 0

    def shutdown(self) -> None:
        """At app exit: save what is streaming, and end the background lookups."""
        self.release_store()
        self.lookups.shutdown()
        self.attachments.shutdown()
        self.remote.shutdown()
        self.tools.shutdown()
