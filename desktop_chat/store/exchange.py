"""Saving one headless question and answer (``desktop-chat chat``) as a conversation."""

from __future__ import annotations

from typing import Any

from desktop_chat.store import open_store, title_from_text


def save_exchange(prompt: str, answer: str, model: str, stats: Any | None) -> int:
    """Store the exchange like the window would; returns the new conversation's id."""
    store, _notice = open_store()
    try:
        conversation = store.create_conversation(title_from_text(prompt), model=model)
        store.add_message(conversation.id, "user", prompt)
        store.add_message(
            conversation.id,
            "assistant",
            answer,
            model=model,
            complete=True,
            stop_reason=str(stats.stop_reason) if stats is not None else "done",
            tokens=getattr(stats, "completion_tokens", None),
            ttft_s=getattr(stats, "ttft_s", None),
            tokens_per_s=getattr(stats, "tokens_per_s", None),
        )
        return conversation.id
    finally:
        store.close()
