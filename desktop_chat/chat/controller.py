"""The chat without widgets: conversations, branches and sending; a view draws its signals.

A view (the Chat pane) forwards the user's actions here and renders what the signals say; the
controller never touches a widget, so it runs and is tested without a window. Answering the
turns (engine events, streaming persistence, the context policy) is its base, ``Answering``.
"""

from __future__ import annotations

from typing import Any

from desktop_chat.chat.answering import DROP_OLDEST, Answering
from desktop_chat.chat.profiles import Profile
from desktop_chat.engine.remote import RemoteTarget
from desktop_chat.store import Message, Siblings, Store, StoreError, title_from_text

__all__ = ["DROP_OLDEST", "ChatController"]


class ChatController(Answering):
    """One open conversation (its active branch), and what the user does with it."""

    # -- state the view reads --------------------------------------------------------------
    def title(self) -> str:
        if self.conversation_id is None:
            return ""
        try:
            return self.store.get_conversation(self.conversation_id).title
        except StoreError:
            return ""

    def message(self, message_id: int | None) -> Message | None:
        return next((m for m in self.branch if m.id == message_id), None)

    def siblings(self, message_id: int) -> Siblings | None:
        try:
            return self.store.siblings(message_id)
        except StoreError:
            return None

    # -- profiles --------------------------------------------------------------------------
    def set_profile(self, profile: Profile | None) -> None:
        """The profile for new chats (and the open chat, if it has no answer yet)."""
        self.profile = profile
        if self.conversation_id is not None and not self.branch:
            self._store_safely(
                self.store.update_conversation,
                self.conversation_id,
                profile=profile.id if profile else None,
            )

    def _profile_from_id(self, profile_id: str) -> None:
        profile = self.find_profile(profile_id)
        if profile is not None:
            self.profile = profile
            self.profile_changed.emit(profile.id)

    # -- the model -------------------------------------------------------------------------
    def use_remote(self, target: RemoteTarget | None) -> None:
        """Talk to ``target`` (None: the local model) in new chats and in the open one; its
        later turns go there, earlier answers keep the model that wrote them."""
        self.remote_choice = target
        if self.conversation_id is not None:
            self._store_safely(
                self.store.update_conversation,
                self.conversation_id,
                model=self._model_record(target),
            )
        self.model_changed.emit()

    # -- conversations ---------------------------------------------------------------------
    def new_chat(self) -> None:
        """An empty chat; it is stored once the first question is sent."""
        self._detach()
        self.conversation_id = None
        self.branch = []
        self.conversation_changed.emit(None)
        self.messages_changed.emit(0)
        self.busy_changed.emit(self.busy)

    def open_conversation(self, conversation_id: int, focus_message: int = 0) -> None:
        if conversation_id == self.conversation_id and not focus_message:
            return
        try:
            conversation = self.store.get_conversation(conversation_id)
            branch = self.store.active_thread(conversation_id)
        except StoreError as error:
            self.problem.emit(str(error), "")
            return
        self._detach()
        self.conversation_id = conversation_id
        if conversation.profile:
            self._profile_from_id(conversation.profile)
        self.branch = branch
        self.conversation_changed.emit(conversation_id)
        self.messages_changed.emit(focus_message)
        # Re-attach to an answer still being prepared or streamed for this chat.
        self.lookups.return_to(conversation_id)
        for request_id, stream in self.answers.of_conversation(conversation_id):
            self.request_id = request_id
            self.stream_started.emit(stream.message_id, stream.text)
        self.busy_changed.emit(self.busy)

    def open_search_hit(self, conversation_id: int, message_id: int) -> None:
        if message_id:
            try:
                self.store.switch_to_sibling(message_id)  # the hit may sit on another branch
            except StoreError:
                message_id = 0
        if message_id:
            self.conversation_id = None  # open it again, on the hit's branch
        self.open_conversation(conversation_id, focus_message=message_id)

    def conversation_deleted(self, conversation_id: int) -> None:
        """The list deleted a conversation: stop its answer, leave it if it is open."""
        self.lookups.cancel(conversation_id)
        for request_id, _stream in self.answers.of_conversation(conversation_id):
            self._engine_of(request_id).stop(request_id)
        if conversation_id == self.conversation_id:
            self.new_chat()

    def _detach(self) -> None:
        """Leave the shown answer; it goes on being prepared, generated and saved."""
        if self.request_id:
            self.stream_ended.emit(None)
        self.request_id = 0
        self.lookups.leave()

    # -- branches --------------------------------------------------------------------------
    def switch_branch(self, message_id: int, step: int) -> None:
        """Show the previous (step -1) or next (+1) alternative to ``message_id``."""
        try:
            siblings = self.store.siblings(message_id)
            target = siblings.previous_id if step < 0 else siblings.next_id
            if target is None:
                return
            self.store.switch_to_sibling(target)
        except StoreError as error:
            self.problem.emit(str(error), "")
            return
        self.reload()

    def delete_message(self, message_id: int) -> None:
        """Delete a message and everything after it in this branch."""
        if self._store_safely(self.store.delete_message, message_id):
            self.reload()

    def regenerate(self, message_id: int) -> int:
        message = self.message(message_id)
        if message is None or message.parent_id is None:
            return 0
        return self.answer(message.parent_id)

    def continue_answer(self, message_id: int) -> int:
        message = self.message(message_id)
        if message is None or message.parent_id is None:
            return 0
        return self.answer(message.parent_id, continue_message=message)

    def edit(self, message_id: int, text: str) -> int:
        """Ask ``text`` as a new branch beside the question ``message_id``; the old one stays."""
        message = self.message(message_id)
        if message is None:
            return 0
        return self.send_text(text, parent_id=message.parent_id)

    # -- sending ---------------------------------------------------------------------------
    def send_text(self, text: str, parent_id: int | object | None = ...) -> int:
        """Store a question (as a new turn, or a new branch under ``parent_id``) and answer it.

        Returns the engine request id, or 0 when the answer waits for a knowledge-base lookup
        or the question could not be stored (the text then comes back as ``draft_returned``)."""
        try:
            if self.conversation_id is None:
                model = self._model_record(self.remote_choice)
                policy = self.get_settings().app.context_policy
                conversation = self.store.create_conversation(
                    title_from_text(text),
                    model=model,
                    profile=self.profile.id if self.profile else None,
                    context_policy="ask" if policy == "ask" else "drop_oldest",
                )
                self.conversation_id = conversation.id
            kwargs: dict[str, Any] = {} if parent_id is ... else {"parent_id": parent_id}
            question = self.store.add_message(self.conversation_id, "user", text, **kwargs)
            self.branch = self.store.active_thread(self.conversation_id)
        except StoreError as error:
            self.draft_returned.emit(text)
            self.problem.emit(str(error), "")
            return 0
        self.conversations_changed.emit()
        self.conversation_changed.emit(self.conversation_id)
        self.messages_changed.emit(0)
        return self.answer(question.id)

    # -- the store's life ------------------------------------------------------------------
    def set_store(self, store: Store) -> None:
        """Use a new store (after Delete all my data): a fresh writer, saving again, a new chat."""
        self.release_store()
        self.store = store
        self.answers.use_store(store)
        self._window_start.clear()
        self._context_full.clear()
        self._last_question = 0
        self.conversation_id = None
        self.new_chat()
        self.conversations_changed.emit()
