"""Hybrid retrieval with the real multilingual encoder: both knowledge bases, cross-language,
off-topic, incremental re-embedding, a 300-page PDF with progress and cancel, a bad batch."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from desktop_chat.bench import kb_bench
from desktop_chat.kb.embedder import default_embedder
from desktop_chat.kb.index import KnowledgeBase
from tests.kb.pdfgen import text_pdf


class CountingEmbedder:
    """The real encoder, counting the texts it is asked to embed (a passage and its heading)."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name = self.inner.name
        self.dim = self.inner.dim
        self.passages = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)


@pytest.fixture(scope="module")
def bikes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = kb_bench.heldout_dir()
    with KnowledgeBase(tmp_path_factory.mktemp("bikes") / "kb.sqlite3") as kb:
        kb.add_paths([base / "en", base / "zh"])
        yield kb


def _top3(kb: KnowledgeBase, question: str) -> list[str]:
    return [f"{p.source}#{p.section.split(' > ')[-1]}" for p in kb.search(question, k=3)]


def test_the_demo_question_finds_the_refund_section(shop: KnowledgeBase) -> None:
    assert _top3(shop, "How long does a refund take?")[0] == "en/returns.md#Refund processing time"
    assert _top3(shop, "退款要多久")[0] == "zh/returns.md#退款到账时间"


def test_a_chinese_question_finds_an_english_only_answer(shop: KnowledgeBase) -> None:
    assert "en/faq.csv#Do you have a physical store?" in _top3(shop, "你们有实体店吗")


def test_an_english_question_finds_a_chinese_only_answer(bikes: KnowledgeBase) -> None:
    assert "zh/membership.md#月卡会员" in _top3(bikes, "monthly pass price")
    assert "zh/shop.md#营业时间" in _top3(bikes, "what are your opening hours")


@pytest.fixture(scope="module")
def vets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = kb_bench.greenhill_dir()  # development data since it was measured as held-out
    with KnowledgeBase(tmp_path_factory.mktemp("vets") / "kb.sqlite3") as kb:
        kb.add_paths([base / "en", base / "zh"])
        yield kb


def test_a_weak_word_match_does_not_bury_the_other_languages_answer(vets: KnowledgeBase) -> None:
    # "vet" is the only word shared with English passages (BM25 1.8): it no longer counts as
    # much as a strong match, so the Chinese-only answer stays in the top 3.
    assert "zh/faq.csv#有会说中文的医生吗？" in _top3(vets, "any vet who speaks mandarin")


def test_the_answer_in_the_questions_language_comes_before_its_translation(
    shop: KnowledgeBase, vets: KnowledgeBase
) -> None:
    assert _top3(shop, "I need a receipt with tax for my company")[0] == (
        "en/payment.md#Invoices and VAT"
    )
    assert _top3(shop, "能用PayPal吗")[0] == "zh/payment.md#支持的支付方式"
    assert _top3(vets, "你们早上几点开门")[0] == "zh/clinic.md#营业时间"


def test_the_second_business_in_its_own_words(bikes: KnowledgeBase) -> None:
    assert "en/workshop.md#Flat tyres" in _top3(bikes, "puncture repair price")
    assert "zh/groups.md#雨天安排" in _top3(bikes, "下大雨导览会取消吗")


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the off-topic gate reads the dense score and the knowledge base's "
    "subject, not how strongly BM25 matched ('puncture' scores 13); kept as a known gap when "
    "the question was seen on last round's held-out business",
)
def test_a_strong_word_match_with_a_weak_cosine(bikes: KnowledgeBase) -> None:
    assert "en/workshop.md#Flat tyres" in _top3(bikes, "how much to fix a puncture")


@pytest.mark.parametrize(
    "question", ["what is the capital of France", "写一首诗", "tell me a joke", "一加一等于几"]
)
def test_off_topic_finds_nothing_in_either(
    shop: KnowledgeBase, bikes: KnowledgeBase, question: str
) -> None:
    assert shop.search(question) == []
    assert bikes.search(question) == []


def test_passages_carry_their_page(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "manual.pdf").write_bytes(
        text_pdf([["Intro to the lamp."], ["The warranty on the lamp lasts 3 years."]])
    )
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths([tmp_path / "docs"])
        (best, *_) = kb.search("how long is the lamp warranty")
    assert best.page == 2 and best.source == "manual.pdf"


def test_only_the_edited_file_is_embedded_again(tmp_path: Path, docs: Path) -> None:
    embedder = CountingEmbedder()
    with KnowledgeBase(tmp_path / "kb.sqlite3", embedder) as kb:
        kb.add_paths([docs])
        first = embedder.passages
        assert first == 2 * kb.stats().passages  # every passage here has its own heading
        (docs / "returns.md").write_text(
            "# Returns\n\n## Refund processing time\n\nRefunds now take 2 business days.\n",
            "utf-8",
        )
        report = kb.sync()
        assert report.updated == ["returns.md"]
        assert sorted(report.unchanged) == ["shipping.md", "zh.md"]
        assert embedder.passages == first + 2
        assert "2 business days" in kb.search("how fast is my refund")[0].text
        assert kb.sync().changed is False
        assert embedder.passages == first + 2


def test_a_300_page_pdf_shows_progress_and_cancels(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = [[f"Chapter {i}: lamp model {i} uses a {i % 7 + 3} watt bulb."] for i in range(300)]
    (docs / "catalogue.pdf").write_bytes(text_pdf(pages))
    cancel = threading.Event()
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, source: str) -> None:
        seen.append((done, total, source))
        if total == 300 and done == 150:
            cancel.set()

    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        report = kb.add_paths([docs], progress, cancel)
        assert report.cancelled and kb.stats().passages == 0
        assert (150, 300, "catalogue.pdf") in seen
        seen.clear()
        report = kb.sync(progress)
        assert report.added == ["catalogue.pdf"] and kb.stats().passages == 300
        assert (300, 300, "catalogue.pdf") in seen
        assert kb.search("which lamp model is in chapter 123")[0].page == 124


def test_each_bad_file_is_a_sentence_and_the_rest_is_indexed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text("# Hours\n\nWe open at 9 every weekday.\n", "utf-8")
    (docs / "scan.pdf").write_bytes(text_pdf([[]]))
    (docs / "image.md").write_bytes(bytes(range(256)) * 8)
    (docs / "empty.txt").write_bytes(b"")
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        report = kb.add_paths([docs])
        assert report.added == ["good.md"]
        sentences = {s.path: s.sentence for s in report.skipped}
        assert set(sentences) == {"scan.pdf", "image.md", "empty.txt"}
        assert sentences["scan.pdf"].startswith("scan.pdf has no text layer")
        assert sentences["empty.txt"] == "empty.txt is empty; add a document that has some text."
        assert all(s.endswith(".") for s in sentences.values())
        assert kb.search("what time do you open")[0].source == "good.md"


def test_a_version_1_file_gets_its_vectors_on_the_next_sync(tmp_path: Path, docs: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with KnowledgeBase(path) as kb:
        kb.add_paths([docs])
        passages = kb.stats().passages
    with sqlite3.connect(path) as db:  # what a version-1 file looks like: no page, no vectors
        db.execute("ALTER TABLE passages DROP COLUMN page")
        db.execute("DROP TABLE vectors")
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    embedder = CountingEmbedder()
    with KnowledgeBase(path, embedder) as kb:
        assert kb.search("how long do refunds take")  # words still answer meanwhile
        report = kb.sync()
        assert not report.changed and embedder.passages == 2 * passages
        assert kb.search("退款要多久")[0].section == "退货 > 退款到账时间"


def test_a_file_without_heading_vectors_gets_them_on_the_next_sync(
    tmp_path: Path, docs: Path
) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with KnowledgeBase(path) as kb:
        kb.add_paths([docs])
        passages = kb.stats().passages
    with sqlite3.connect(path) as db:  # as written before heading vectors
        db.execute("ALTER TABLE vectors DROP COLUMN head")
    embedder = CountingEmbedder()
    with KnowledgeBase(path, embedder) as kb:
        assert (
            kb.search("how long do refunds take")[0].section == "Returns > Refund processing time"
        )
        assert not kb.sync().changed and embedder.passages == 2 * passages
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM vectors WHERE head IS NULL").fetchone() == (0,)


def test_a_heading_only_raises_its_passage() -> None:
    from desktop_chat.kb import hybrid

    query = np.array([1.0, 0.0], dtype=np.float32)
    passages = np.array([[0.5, 0.866], [0.5, 0.866]], dtype=np.float32)
    heads = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)  # on topic / far off
    chinese = np.array([False, False])
    sims = hybrid.similarities(passages, heads, chinese, query, query_is_chinese=False)
    assert sims[0] == pytest.approx(0.5 + hybrid.HEADING_WEIGHT * 0.5)
    assert sims[1] == pytest.approx(0.5)  # a far heading never sinks the passage's own cosine


def test_the_gate_weighs_the_knowledge_bases_subject() -> None:
    from desktop_chat.kb import hybrid

    best = hybrid.ACCEPT - 0.1  # one passage fairly near by chance
    assert not hybrid.is_on_topic(best, topic=0.0, lexical=False)  # ...far from the subject
    assert hybrid.is_on_topic(best, topic=0.15, lexical=False)  # ...a question about it
    assert hybrid.is_on_topic(hybrid.WITH_LEXICAL, topic=0.0, lexical=True)
    assert not hybrid.is_on_topic(hybrid.WITH_LEXICAL - 0.01, topic=0.0, lexical=True)


def test_a_weak_word_match_counts_in_proportion() -> None:
    from desktop_chat.kb import hybrid

    dense = [(2, 0.6), (1, 0.45)]
    weak = hybrid.fuse([(1, 1.8)], dense, dict(dense), topic=0.3)
    assert [r.passage_id for r in weak] == [2, 1]  # 0.45 + 0.3 x 1.8 / 5 < 0.6
    strong = hybrid.fuse([(1, 12.0)], dense, dict(dense), topic=0.3)
    assert [r.passage_id for r in strong] == [1, 2]


def test_a_twin_in_the_questions_language_takes_its_translations_place() -> None:
    from desktop_chat.kb import hybrid

    ids = np.array([1, 2, 3, 4])
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6], [0.3, 0.954]], dtype=np.float32)
    chinese = np.array([True, False, False, False])
    ranked = [hybrid.Ranked(1, 0.9, 0.9), hybrid.Ranked(2, 0.8, 0.8), hybrid.Ranked(3, 0.7, 0.7)]
    moved = hybrid.prefer_own_language(ranked, ids, matrix, chinese, False, k=3)
    assert [(r.passage_id, r.score) for r in moved] == [(3, 0.9), (1, 0.9), (2, 0.8)]
    # Not a translation (cosine 0.3 to passage 1): the ranking stays.
    unrelated = [hybrid.Ranked(1, 0.9, 0.9), hybrid.Ranked(4, 0.8, 0.8)]
    assert hybrid.prefer_own_language(unrelated, ids, matrix, chinese, False, k=3) == unrelated
    # A Chinese question keeps the Chinese passage first.
    assert hybrid.prefer_own_language(ranked, ids, matrix, chinese, True, k=3) == ranked
