"""Fitting a conversation into a remote model's context without its tokenizer: an estimate."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_chat.engine.types import ChatMessage, ChatRequest, ContextOverflowError

# Most tokenizers give 3-4 characters of English per token and fewer for other scripts: 3
# errs toward sending less, which a server's own limit would refuse anyway.
CHARS_PER_TOKEN = 3
PER_MESSAGE_TOKENS = 6  # the role markers a chat template adds around each message


def estimate_tokens(text: str) -> int:
    return len(text) // CHARS_PER_TOKEN + 1


@dataclass
class FittedHistory:
    messages: list[ChatMessage]
    prompt_tokens: int
    first_kept: int  # index into the request's history of the first message sent
    notes: list[str] = field(default_factory=list)


def _cost(messages: list[ChatMessage]) -> int:
    return sum(estimate_tokens(m.content) + PER_MESSAGE_TOKENS for m in messages)


def fit_history(request: ChatRequest, n_ctx: int) -> FittedHistory:
    """The system prompt and as many recent whole turns as fit, room kept for the answer.

    Like the local engine, the window never moves back before ``min_start`` and moves on by
    whole turns (a user message starts one); the "ask" policy refuses instead of dropping.
    """
    history = list(request.history)
    head = [ChatMessage("system", request.system)] if request.system.strip() else []
    reserve = min(request.gen.max_tokens, n_ctx // 2)
    # The tools offered go in the prompt too, wherever the server's template puts them.
    budget = max(16, n_ctx - reserve - (estimate_tokens(request.tools) if request.tools else 0))
    starts = [i for i, m in enumerate(history) if m.role == "user"] or [0]
    start = max([s for s in starts if s <= request.min_start] or [0])
    cost = _cost(head + history[start:])
    if cost > budget and request.policy == "ask":
        raise ContextOverflowError(
            "This conversation no longer fits in the model's context window "
            f"(about {cost} of {budget} tokens). Start a new chat, or let the app drop the "
            "oldest turns."
        )
    for candidate in (s for s in starts if s > start):
        if cost <= budget:
            break
        start, cost = candidate, _cost(head + history[candidate:])
    notes = []
    if start:
        notes.append(
            f"The {start} oldest message(s) no longer fit in the context window and were "
            "left out of what the model sees."
        )
    return FittedHistory(head + history[start:], cost, start, notes)
