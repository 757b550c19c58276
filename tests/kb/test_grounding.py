"""Grounded prompts: numbered passages within the token budget, and the no-information case."""

from __future__ import annotations

from pathlib import Path

from desktop_chat.kb import grounding
from desktop_chat.kb.index import KnowledgeBase, Passage
from desktop_chat.kb.text import rough_token_count


def test_grounded_prompt_numbers_and_cites_passages(kb: KnowledgeBase) -> None:
    text, used = grounding.ground(kb, "how long do refunds take", base_prompt="You are Lumi.")
    assert used and used[0].section == "Returns > Refund processing time"
    assert text.startswith("You are Lumi.")
    assert "[1] Returns > Refund processing time (returns.md)" in text
    assert grounding.NO_INFORMATION in text
    assert used[0].id == "returns.md#0"


def test_many_hits_still_fit_the_token_budget(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        body = f"Refund rule {i}: refunds for order type {i} are paid within {i} days. " * 8
        (folder / f"rule{i:02d}.md").write_text(f"# Refund rule {i}\n\n{body}\n", "utf-8")
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths([folder])
        text, used = grounding.ground(kb, "refund", token_budget=400, k=40)
    assert 1 <= len(used) < 40
    assert rough_token_count(text) <= 400
    assert f"[{len(used)}]" in text and f"[{len(used) + 1}]" not in text


def test_budget_uses_the_given_counter() -> None:
    passages = [Passage(f"a.md#{i}", "a.md", "A", "A", "word " * 50) for i in range(5)]
    text, used = grounding.build_system_text(
        passages, token_budget=200, count_tokens=lambda s: len(s.split())
    )
    assert len(used) == 2
    assert len(text.split()) <= 200


def test_off_topic_question_gets_the_no_information_instruction(kb: KnowledgeBase) -> None:
    text, used = grounding.ground(kb, "what is the capital of France")
    assert used == []
    assert grounding.NO_INFORMATION in text


def test_a_chinese_question_is_answered_in_chinese_from_english_passages(
    kb: KnowledgeBase,
) -> None:
    text, used = grounding.ground(kb, "退货后多久能拿到退款")
    assert used
    assert "write the answer in Simplified Chinese" in text
    english, _ = grounding.ground(kb, "how long do refunds take")
    assert "Answer in the language of the question" in english
    assert "Simplified Chinese" not in english


def test_a_pdf_passage_is_cited_with_its_page() -> None:
    passage = Passage("m.pdf#3", "m.pdf", "M", "M", "Lamps last 3 years.", page=4)
    assert grounding.format_passage(1, passage).startswith("[1] M (m.pdf, page 4)\n")
