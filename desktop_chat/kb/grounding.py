"""Retrieve passages for a question and build the grounded system message that cites them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop_chat.kb.hybrid import is_chinese
from desktop_chat.kb.index import KnowledgeBase, Passage
from desktop_chat.kb.text import rough_token_count

NO_INFORMATION = "I don't have that information"
DEFAULT_TOKEN_BUDGET = 1200
CANDIDATE_PASSAGES = 8

_RULES = (
    "Answer the user's question using only the numbered passages below from the knowledge "
    "base. Cite every fact with the number of its passage in square brackets, like [1] or "
    '[2]. If the passages do not contain the answer, say "' + NO_INFORMATION + '" and '
    "do not guess."
)
_SAME_LANGUAGE = (
    "Answer in the language of the question, even when the passages are in another language."
)
_CHINESE = (
    "The question is written in Chinese: write the answer in Simplified Chinese, translating "
    "what the passages say when they are in English."
)
_NOTHING_FOUND = (
    "No passage of the knowledge base matches the user's question. Say \""
    + NO_INFORMATION
    + '" and do not guess.'
)


def format_passage(number: int, passage: Passage) -> str:
    """How passage ``number`` appears in the prompt: "[1] Section (source)" then its text."""
    where = passage.source if passage.page is None else f"{passage.source}, page {passage.page}"
    return f"[{number}] {passage.section} ({where})\n{passage.text}"


def language_rule(question: str) -> str:
    """Which language to answer in: named for Chinese, whose passages may be English only."""
    return _CHINESE if question and is_chinese(question) else _SAME_LANGUAGE


def build_system_text(
    passages: Sequence[Passage],
    *,
    base_prompt: str = "",
    token_budget: int = DEFAULT_TOKEN_BUDGET,
    count_tokens: Callable[[str], int] = rough_token_count,
    question: str = "",
) -> tuple[str, list[Passage]]:
    """Fit as many of the ranked passages as the budget allows into one system message.

    The budget covers the whole message. Passages keep their ranking; one that does not fit
    is left out and a shorter one after it may still go in. Numbering follows the result list.
    """
    rules = f"{_RULES} {language_rule(question)}"
    head = f"{base_prompt.strip()}\n\n{rules}" if base_prompt.strip() else rules
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
        passages,
        base_prompt=base_prompt,
        token_budget=token_budget,
        count_tokens=count_tokens,
        question=question,
    )


def ground_by_name(name: str, question: str, system: str) -> tuple[str, list[dict[str, Any]], str]:
    """(``system`` with the passages of knowledge base ``name`` for ``question``, their
    citations as an answer stores them, a sentence when it could not be used). Reads the
    disk (the sample shop's is made on first use): call it off the GUI thread."""
    from desktop_chat.kb import library
    from desktop_chat.kb.index import KbError

    try:
        if name == library.DEMO_KB_NAME:
            library.ensure_demo_kb()
        with library.open_kb(name) as kb:
            if kb.stats().passages == 0:
                return system, [], f"The knowledge base “{name}” is empty. Add documents to it."
            text, passages = ground(kb, question, base_prompt=system)
    except (KbError, OSError) as error:
        return system, [], f"The knowledge base “{name}” could not be used: {error}"
    citations = [
        {
            "id": p.id,
            "source": p.source,
            "title": p.title,
            "section": p.section,
            "text": p.text,
            "score": p.score,
            "page": p.page,
        }
        for p in passages
    ]
    return text, citations, ""
