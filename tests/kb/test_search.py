"""Retrieval: stemming, Chinese bigrams, misspellings, synonyms, off-topic rejection, recall."""

from __future__ import annotations

import json

import pytest

from desktop_chat.bench import kb_bench as bench
from desktop_chat.kb import library
from desktop_chat.kb.index import KnowledgeBase
from desktop_chat.kb.text import stem


def test_stemmer_merges_common_forms() -> None:
    assert stem("refunds") == stem("refund") == stem("refunded")
    assert stem("shipping") == stem("shipped") == stem("ship")
    assert stem("deliveries") == stem("delivery")
    assert stem("boxes") == stem("box")


def test_plural_finds_singular(kb: KnowledgeBase) -> None:
    assert kb.search("refunds")[0].section == "Returns > Refund processing time"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("退款", "退货 > 退款到账时间"),
        ("发货", "退货 > 发货时间"),
        ("退款要多久？", "退货 > 退款到账时间"),
    ],
)
def test_chinese_question_finds_chinese_passage(
    kb: KnowledgeBase, question: str, section: str
) -> None:
    assert kb.search(question)[0].section == section


def test_misspelling_finds_the_right_section(kb: KnowledgeBase) -> None:
    assert kb.search("how much are shiping costs")[0].section == "Shipping > Shipping costs"
    assert kb.search("delivry times")[0].section == "Shipping > Delivery times"


def test_synonym_finds_the_right_section(kb: KnowledgeBase) -> None:
    assert kb.search("when do I get my money back")[0].section == "Returns > Refund processing time"


@pytest.mark.parametrize(
    "question", ["what is the capital of France", "写一首诗", "tell me a joke", "今天天气怎么样"]
)
def test_off_topic_question_yields_nothing(kb: KnowledgeBase, question: str) -> None:
    assert kb.search(question) == []


def test_recall_at_3_on_the_question_set() -> None:
    result = bench.retrieval_recall(k=3)
    assert result["questions"] >= 60
    assert result["recall"] >= 0.9, result["questions_misses"]
    assert result["holdout_recall"] >= 0.8, result["holdout_misses"]
    assert result["off_topic_answered"] == []


def test_question_set_points_at_real_sections() -> None:
    data = json.loads(library.sample_questions_file().read_text("utf-8"))
    with KnowledgeBase(library.kb_file("check")) as kb:
        kb.add_paths(library.sample_kb_paths("en") + library.sample_kb_paths("zh"))
        sections = {
            (source, section.split(" > ")[-1])
            for source, _, _ in kb.documents()
            for section in _sections(kb, source)
        }
    for item in data["questions"] + data["holdout"]:
        assert (item["source"], item["section"]) in sections, item


def _sections(kb: KnowledgeBase, source: str) -> list[str]:
    rows = kb._db.execute(
        "SELECT p.section FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.source=?",
        (source,),
    )
    return [section for (section,) in rows]
