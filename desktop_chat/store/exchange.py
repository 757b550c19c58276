"""The conversation a headless question (``desktop-chat chat``) is kept in, like the window's."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.store.grouping import title_from_text
from desktop_chat.store.store import Store


@dataclass(frozen=True)
class Exchange:
    conversation_id: int
    question_id: int


def start_exchange(store: Store, prompt: str, model: str) -> Exchange:
    """Create the conversation and its question before the answer streams into it.

    The answer itself is written by the chat service's AnswerWriter as it streams, so a crash
    keeps what was shown. Raises StoreError (a sentence) when the database refuses the write.
    """
    conversation = store.create_conversation(title_from_text(prompt), model=model)
    question = store.add_message(conversation.id, "user", prompt)
    return Exchange(conversation.id, question.id)
