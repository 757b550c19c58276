"""Saving one headless question and answer (``desktop-chat chat``) as a conversation."""

from __future__ import annotations

from typing import Any, Literal, cast

from desktop_chat.store import open_store, title_from_text

StopReasonName = Literal["done", "stopped", "length", "error"]


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
            stop_reason=_stop_reason(stats),
            tokens=getattr(stats, "completion_tokens", None),
            ttft_s=getattr(stats, "ttft_s", None),
            tokens_per_s=getattr(stats, "tokens_per_s", None),
        )
        return conversation.id
    finally:
        store.close()


def _stop_reason(stats: Any | None) -> StopReasonName:
    reason = str(getattr(stats, "stop_reason", "done"))
    return cast(
        StopReasonName, reason if reason in ("done", "stopped", "length", "error") else "done"
    )
