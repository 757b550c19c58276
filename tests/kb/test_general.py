"""General questions no business answers: the bank, and the gate that uses it, with the real
encoder on the sample shop."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from desktop_chat.kb import general, hybrid, library
from desktop_chat.kb.embedder import default_embedder
from desktop_chat.kb.index import KnowledgeBase


def test_the_bank_is_broad_and_in_both_languages() -> None:
    questions = general.questions()
    chinese = [q for q in questions if re.search(r"[\u4e00-\u9fff]", q)]
    assert len(questions) >= 200 and len(set(questions)) == len(questions)
    assert len(chinese) >= 100 and len(questions) - len(chinese) >= 100
    vectors = general.bank(default_embedder())
    assert vectors.shape == (len(questions), default_embedder().dim)
    assert general.bank(default_embedder()) is vectors  # embedded once per process


def test_nearness_is_the_mean_of_the_two_nearest() -> None:
    vectors = np.eye(4, dtype=np.float32)
    query = np.array([0.8, 0.6, 0.0, 0.0], dtype=np.float32)
    assert general.nearness(vectors, query) == pytest.approx(0.7)
    assert general.nearness(vectors[:0], query) == 0.0


def test_the_gate_turns_away_a_question_nearer_to_general_ones() -> None:
    best = hybrid.ACCEPT  # on-topic on its own...
    far = best + hybrid.ELSEWHERE_MARGIN + 0.01
    assert hybrid.is_on_topic(best, topic=0.0, lexical=False)
    assert not hybrid.is_on_topic(best, topic=0.0, lexical=False, elsewhere=far)
    # ...unless it matches the knowledge base strongly.
    assert hybrid.is_on_topic(best, hybrid.ELSEWHERE_UNLESS - best, lexical=False, elsewhere=far)


@pytest.mark.parametrize(
    "question",
    [
        "what will the weather be like in paris on sunday",
        "give me a recipe for banana bread",
        "下周上海会不会下雪",
        "帮我写一首关于月亮的诗",
    ],
)
def test_general_questions_find_nothing_in_the_shop(shop: KnowledgeBase, question: str) -> None:
    assert shop.search(question, k=3) == []
    assert shop.search(question, k=3, gate=False)  # the gate, not the ranking, said no


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what is your phone number", "Contact"),
        ("how long does a refund take", "Refund"),
        ("退款多久到账", "退款"),
    ],
)
def test_shop_questions_still_find_their_answer(
    shop: KnowledgeBase, question: str, section: str
) -> None:
    found = shop.search(question, k=3)
    assert any(section.casefold() in p.section.casefold() for p in found), [
        p.section for p in found
    ]


def test_the_bank_file_is_package_data() -> None:
    assert Path(library.sample_kb_dir().parent / "general_questions.txt").is_file()
