"""What a turn is built from, read from the store: the history up to the question (or the answer
being continued) and ``turns.build_turn``'s arguments from the conversation's record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_chat.chat.profiles import Profile
from desktop_chat.engine.types import ChatMessage
from desktop_chat.store import Message, Store


@dataclass(frozen=True)
class TurnInputs:
    history: list[ChatMessage]  # user and assistant messages, oldest first
    question: str  # the last user message: what a knowledge base is searched for
    build_args: dict[str, Any]  # build_turn's keyword arguments besides settings and history


def read_turn_inputs(
    store: Store,
    conversation_id: int,
    question_id: int,
    continue_message: Message | None,
    *,
    settings_key: str | None,
    profile: Profile | None,
    min_start: int,
) -> TurnInputs | None:
    """None when ``question_id`` is not on the active branch; StoreError from the store."""
    branch = store.active_thread(conversation_id)
    conversation = store.get_conversation(conversation_id)
    upto = next((i for i, m in enumerate(branch) if m.id == question_id), None)
    if upto is None:
        return None
    context = branch[: upto + 1]
    if continue_message is not None:
        context = [*context, continue_message]
    history = [ChatMessage(m.role, m.content) for m in context if m.role in ("user", "assistant")]
    question = next((m.content for m in reversed(history) if m.role == "user"), "")
    build_args: dict[str, Any] = dict(
        model_key=settings_key,
        profile=profile,
        conversation_overrides=conversation.settings,
        conversation_key=str(conversation_id),
        min_start=min_start,
        continue_last=continue_message is not None,
        policy=conversation.context_policy,
    )
    return TurnInputs(history, question, build_args)
