"""Cross-language words from the real CC-CEDICT: translations, and the passages they find."""

from __future__ import annotations

from pathlib import Path

from desktop_chat.kb import bilingual
from desktop_chat.kb.bilingual import Dictionary, translated_concepts
from desktop_chat.kb.index import KnowledgeBase

LINES = [
    "# a comment line",
    "退款 退款 [tui4 kuan3] /to refund/refund/",
    "保修 保修 [bao3 xiu1] /to promise to keep sth in good repair/guarantee; warranty/",
    "只要 只要 [zhi3 yao4] /if only/so long as/",
    "自行車 自行车 [zi4 xing2 che1] /bicycle; bike/CL:輛|辆[liang4]/",
    "單車 单车 [dan1 che1] /bike/",
    "李 李 [Li3] /surname Li/",
]


def test_glosses_become_english_stems_and_single_words_chinese_ones() -> None:
    words = Dictionary(LINES)
    assert words.english("退款") == {("refund",)}
    # A describing gloss is dropped; both senses after the semicolon are kept.
    assert words.english("保修") == {("guarante",), ("warranty",)}
    assert words.chinese("warranty") == ("保修",)
    # The first sense comes first: 自行车 means "bicycle; bike", 单车 "bike" too.
    assert words.chinese("bike") == ("单车", "自行车")
    # "so long as" is not a translation of "long"; one character is not a word here.
    assert words.chinese("long") == ()
    assert words.english("李") == frozenset()


def test_a_question_is_segmented_into_dictionary_words_without_stop_phrases() -> None:
    words = Dictionary(LINES)
    concepts = translated_concepts("我的自行车可以退款吗", words)
    assert [c.label for c in concepts] == ["自行车", "退款"]
    english = translated_concepts("is there a warranty on my bikes", words)
    assert {c.label: sorted(c.alternatives) for c in english} == {
        "warranty": [("保修",)],
        "bikes": [("单车",), ("自行", "行车")],  # a phrase of bigrams, as the index holds
    }


def test_the_packaged_dictionary_translates_everyday_shop_words() -> None:
    words = bilingual.dictionary()
    assert words is not None
    assert ("refund",) in words.english("退款")
    assert "退款" in words.chinese("refund")
    assert ("bicycl",) in words.english("自行车")


def test_a_chinese_question_finds_the_english_passage_by_its_words(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text(
        "# Policy\n\n## Refunds\n\nWe refund the full price within 14 days.\n\n"
        "## Opening hours\n\nThe shop opens at nine and closes at six.\n",
        encoding="utf-8",
    )
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths([docs])
        assert kb.lexical_search("退款多久到账") == []  # no shared words
        found = kb.translated_search("退款多久到账")
        assert found
        best = kb._passages(found[:1])[0]
        assert best.section.endswith("Refunds")
        assert kb.search("退款多久到账", k=1)[0].section.endswith("Refunds")
