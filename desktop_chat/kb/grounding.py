"""Retrieve passages for a question and build the grounded system message that cites them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop_chat.kb.index import KnowledgeBase, Passage
from desktop_chat.kb.text import rough_token_count

NO_INFORMATION = "I don't have that information"
DEFAULT_TOKEN_BUDGET = 1200
CANDIDATE_PASSAGES = 8

_RULES = (
    "Answer the user's question using only the numbered passages below from the knowledge "
    "base. Cite every fact with the number of its passage in square brackets, like [1] or "
    '[2]. If the passages do not contain the answer, say "' + NO_INFORMATION + '" and '
    "do not guess. Answer in the language of the question."
)
_NOTHING_FOUND = (
    "No passage of the knowledge base matches the user's question. Say \""
    + NO_INFORMATION
    + '" and do not guess.'
)


def format_passage(number: int, passage: Passage) -> str:
    """How passage ``number`` appears in the prompt: "[1] Section (source)" then its text."""
    return f"[{number}] {passage.section} ({passage.source})\n{passage.text}"


def build_system_text(
    passages: Sequence[Passage],
    *,
    base_prompt: str = "",
    token_budget: int = DEFAULT_TOKEN_BUDGET,
    count_tokens: Callable[[str], int] = rough_token_count,
) -> tuple[str, list[Passage]]:
    """Fit as many of the ranked passages as the budget allows into one system message.

    The budget covers the whole message. Passages keep their ranking; one that does not fit
    is left out and a shorter one after it may still go in. Numbering follows the result list.
    """
    head = f"{base_prompt.strip()}\n\n{_RULES}" if base_prompt.strip() else _RULES
    if not passages:
        text = f"{base_prompt.strip()}\n\n{_NOTHING_FOUND}".strip()
        return text, []
    used: list[Passage] = []
    blocks: list[str] = []
    spent = count_tokens(head + "\n\n")
    for passage in passages:
        block = format_passage(len(used) + 1, passage)
        cost = count_tokens(block + "\n\n")
        if spent + cost > token_budget:
            continue
        used.append(passage)
        blocks.append(block)
        spent += cost
    if not used:
        text = f"{base_prompt.strip()}\n\n{_NOTHING_FOUND}".strip()
        return text, []
    return head + "\n\n" + "\n\n".join(blocks), used


def ground(
    kb: KnowledgeBase,
    question: str,
    *,
    base_prompt: str = "",
    token_budget: int = DEFAULT_TOKEN_BUDGET,
    count_tokens: Callable[[str], int] = rough_token_count,
    k: int = CANDIDATE_PASSAGES,
) -> tuple[str, list[Passage]]:
    """Search ``kb`` for ``question`` and return (system_text, passages_used).

    ``passages_used[i]`` is cited as ``[i + 1]`` in the answer. With no relevant passage the
    system text tells the model to say it does not have the information.
    """
    passages = kb.search(question, k=k)
    return build_system_text(
        passages, base_prompt=base_prompt, token_budget=token_budget, count_tokens=count_tokens
    )
