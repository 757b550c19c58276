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
    # Two words with a typo score too low with the encoder; a sentence carries it.
    assert kb.search("when does my delivry arrive")[0].section == "Shipping > Delivery times"


def test_synonym_finds_the_right_section(kb: KnowledgeBase) -> None:
    assert kb.search("when do I get my money back")[0].section == "Returns > Refund processing time"


@pytest.mark.parametrize(
    "question", ["what is the capital of France", "写一首诗", "tell me a joke", "今天天气怎么样"]
)
def test_off_topic_question_yields_nothing(kb: KnowledgeBase, question: str) -> None:
    assert kb.search(question) == []


def test_recall_at_3_on_the_development_set() -> None:
    """A floor under today's development figures (README), so a regression shows."""
    result = bench.development()
    groups = result["groups"]
    assert groups["en"]["recall@3"] >= 0.9, result["misses"]
    assert groups["zh"]["recall@3"] >= 0.93, result["misses"]
    assert groups["cross"]["recall@3"] >= 0.8, result["misses"]
    # 0.587 since the development set got near-miss questions and Greenhill (2026-12-01; near-
    # misses alone 0.136): a floor under that, for the re-tuning to raise.
    assert result["off_topic_rejection"] >= 0.55


def test_heldout_questions_point_at_real_sections() -> None:
    data = json.loads((bench.heldout_dir() / "questions.json").read_text("utf-8"))
    assert len(data["questions"]) >= 60
    folders = {"sample": library.sample_kb_dir(), "heldout": bench.heldout_dir()}
    for name, folder in folders.items():
        with KnowledgeBase(library.kb_file(f"check-{name}")) as kb:
            kb.add_paths([folder / "en", folder / "zh"])
            known = {
                f"{source}#{section.split(' > ')[-1]}"
                for source, _, _ in kb.documents()
                for section in _sections(kb, source)
            }
        for item in data["questions"]:
            if item["kb"] == name:
                assert set(item["expect"]) <= known, item


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
