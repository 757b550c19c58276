"""Turns through the engine: start (after a knowledge-base lookup when grounded), stream, stop,
finish, with every answer saved as it grows. The widget-free base of the chat controller.

Which engine a turn goes to (local or remote) is ``turn_engines``; the rounds of a turn that
calls tools are ``tool_rounds``; what a turn is built from is ``turn_inputs``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot

from desktop_chat import settings as settings_mod
from desktop_chat.chat.attachment_context import add_to_turn
from desktop_chat.chat.attachments import ChatAttachments
from desktop_chat.chat.chat_signals import DROP_OLDEST, ChatSignals
from desktop_chat.chat.lookups import PendingTurn, TurnLookups
from desktop_chat.chat.profiles import Profile
from desktop_chat.chat.quoting import quote_answer
from desktop_chat.chat.streams import LiveAnswers
from desktop_chat.chat.tool_rounds import ToolRounds
from desktop_chat.chat.tool_turns import ToolTurns
from desktop_chat.chat.turn_engines import TurnEngines
from desktop_chat.chat.turn_inputs import read_turn_inputs
from desktop_chat.chat.turns import Turn, build_turn, needs_grounding
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget
from desktop_chat.engine.types import GenerationStats, PromptInfo
from desktop_chat.store import Message, Store, StoreError

log = logging.getLogger(__name__)


class Answering(ChatSignals):
    """The open conversation's answers and those still streaming for chats left behind.

    Sentences it passes on come from the layers below (store, engine, task runner); the view
    owns its own words.
    """

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
        self.engines = TurnEngines(client, self.remote, lambda: self.store)
        self._context_full: set[int] = set()
        self._window_start: dict[int, int] = {}
        self._last_question = 0
        # Tools offered to every turn (tools.json), local or remote; calls run between rounds.
        self.tools = ToolTurns(self)
        self.rounds = ToolRounds(
            self.tools, self.answers, self.engines, self._show_chunk, self._complete, self._moved
        )
        self.tools.problem.connect(lambda sentence: self.problem.emit(sentence, ""))
        self.tools.refresh()  # configured MCP servers start now, off this thread

        for engine in self.engines.both:
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
        return self.engines.target(conversation_id, self.remote_choice)

    def _model_record(self, target: RemoteTarget | None) -> str | None:
        return self.engines.model_record(target)

    def _engine_of(self, request_id: int) -> EngineClient | RemoteEngine:
        return self.engines.engine_of(request_id)

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
        profile = self.profile
        try:
            inputs = read_turn_inputs(
                self.store,
                self.conversation_id,
                question_id,
                continue_message,
                settings_key=self.engines.settings_key(self.remote_target(self.conversation_id)),
                profile=profile,
                min_start=self._window_start.get(self.conversation_id, 0),
            )
        except StoreError as error:
            self.problem.emit(str(error), "")
            return 0
        if inputs is None:
            return 0
        history, question, turn_args = inputs.history, inputs.question, inputs.build_args
        self._last_question = question_id
        conversation_id, store, settings = self.conversation_id, self.store, self.get_settings()
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
        request_id = self.rounds.send(target, turn.request)
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
        self.rounds.round_ended(request_id, stats, stopped=False)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: GenerationStats) -> None:
        self.rounds.round_ended(request_id, stats, stopped=True)

    def _moved(self, old_id: int, new_id: int) -> None:
        """A tool turn's next round has a new request id: the shown answer follows it."""
        if self.request_id == old_id:
            self.request_id = new_id

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
