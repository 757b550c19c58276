"""The Knowledge pane with the documents people have: a 300-page PDF with progress and
Cancel, and a batch where each bad file is a sentence while the rest is indexed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from desktop_chat.kb import library
from desktop_chat.ui.knowledge.indexer import KbIndexer
from desktop_chat.ui.knowledge.pane import KnowledgePane
from tests.kb.pdfgen import text_pdf


@pytest.fixture
def pane(qtbot) -> Iterator[KnowledgePane]:
    indexer = KbIndexer()
    pane = KnowledgePane(indexer)
    qtbot.addWidget(pane)
    yield pane
    indexer.shutdown()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = [[f"Chapter {i}: lamp model {i} uses a {i % 7 + 3} watt bulb."] for i in range(300)]
    (docs / "catalogue.pdf").write_bytes(text_pdf(pages))
    (docs / "scan.pdf").write_bytes(text_pdf([[]]))
    (docs / "notes.md").write_bytes(bytes(range(256)) * 8)
    (docs / "hours.md").write_text("# Hours\n\nWe open at 9 every weekday.\n", "utf-8")
    return docs


def test_a_300_page_pdf_shows_its_pages_and_cancels(qtbot, pane, folder, monkeypatch):
    gate = threading.Event()
    real = pypdf.PageObject.extract_text
    pages_read = 0

    def slow_extract(self, *args, **kwargs):  # holds the reader at page 20 until Cancel
        nonlocal pages_read
        pages_read += 1
        if pages_read == 20:
            gate.wait(30)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", slow_extract)
    pane.create_from_folder(folder, "catalogue")
    qtbot.waitUntil(lambda: pane.progress_bar.maximum() == 300, timeout=60_000)
    assert "catalogue.pdf" in pane.progress_label.text()
    assert "of 300" in pane.progress_label.text()
    with qtbot.waitSignal(pane.indexer.cancelled, timeout=60_000):
        pane.cancel_button.click()
        gate.set()
    assert "cancelled" in pane.status_label.text()
    assert pane.names() == []


def test_each_bad_file_is_a_sentence_and_the_rest_is_indexed(qtbot, pane, folder):
    with qtbot.waitSignal(pane.indexer.finished, timeout=120_000):
        pane.create_from_folder(folder, "catalogue")
    status = pane.status_label.text()
    assert "2 added" in status
    assert "scan.pdf has no text layer" in status
    assert "notes.md is not a text file" in status
    with library.open_kb("catalogue") as kb:
        assert kb.stats().documents == 2
    results = pane.run_search("which lamp model is in chapter 123")
    assert results and results[0].page == 124
    assert "page 124" in pane.results_view.toPlainText()
