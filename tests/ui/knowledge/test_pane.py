"""The Knowledge pane: create from a folder, counts, skipped files, search, cancel, delete."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat.kb import library
from desktop_chat.kb.index import KnowledgeBase
from desktop_chat.ui.knowledge.indexer import KbIndexer
from desktop_chat.ui.knowledge.pane import KnowledgePane


@pytest.fixture
def pane(qtbot) -> Iterator[KnowledgePane]:
    indexer = KbIndexer()
    pane = KnowledgePane(indexer)
    qtbot.addWidget(pane)
    yield pane
    indexer.shutdown()


@pytest.fixture
def shop_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    folder.mkdir()
    for file in library.sample_kb_paths("en"):
        shutil.copy(file, folder / file.name)
    return folder


def create_with_buttons(qtbot, pane: KnowledgePane, folder: Path, name: str) -> None:
    """The user's path: New from folder…, pick the folder, name it, wait for indexing."""
    pane.ask_folder = lambda: folder
    pane.ask_name = lambda default: name
    with qtbot.waitSignal(pane.indexer.finished, timeout=30_000):
        pane.new_button.click()
        assert pane.progress_row.isVisibleTo(pane)
        assert not pane.new_button.isEnabled()


def test_empty_state_says_there_are_none(pane):
    assert pane.names() == []
    assert "No knowledge bases yet" in pane.detail_label.text()
    assert not pane.delete_button.isEnabled()


def test_create_from_a_folder_lists_it_with_counts(qtbot, pane, shop_folder):
    create_with_buttons(qtbot, pane, shop_folder, "Shop FAQ")
    assert pane.names() == ["Shop FAQ"]
    item = pane.tree.topLevelItem(0)
    with library.open_kb("Shop FAQ") as kb:
        stats = kb.stats()
    assert (item.text(1), item.text(2)) == (str(stats.documents), str(stats.passages))
    assert stats.documents == 6
    assert pane.selected_name() == "Shop FAQ"
    assert "6 added" in pane.status_label.text()
    assert not pane.progress_row.isVisibleTo(pane)
    assert pane.new_button.isEnabled()


def test_the_name_defaults_to_the_folder_name(qtbot, pane, shop_folder):
    pane.ask_folder = lambda: shop_folder
    pane.ask_name = lambda default: default
    with qtbot.waitSignal(pane.indexer.finished, timeout=30_000):
        pane.new_button.click()
    assert pane.names() == ["shop"]


def test_skipped_files_are_named_in_a_sentence(qtbot, pane, shop_folder):
    (shop_folder / "a.txt").write_bytes(b"\x00\x01binary")
    (shop_folder / "b.txt").write_bytes(b"\x00\x02binary")
    create_with_buttons(qtbot, pane, shop_folder, "shop")
    assert "Skipped 2 files: a.txt (binary file), b.txt (binary file)." in (
        pane.status_label.text()
    )


def test_search_box_shows_ranked_passages(qtbot, pane, shop_folder):
    create_with_buttons(qtbot, pane, shop_folder, "shop")
    pane.search_box.setText("how long do refunds take")
    pane.search_button.click()
    assert pane.results, "no passage found"
    assert pane.results[0].source == "returns.md"
    shown = pane.results_view.toPlainText()
    assert "returns.md" in shown
    assert "Refund processing time" in shown
    assert "5 business days" in shown
    pane.run_search("what is the capital of France")
    assert pane.results == []
    assert "does not have that information" in pane.results_view.toPlainText()


def test_an_empty_kb_says_so(qtbot, pane, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    create_with_buttons(qtbot, pane, empty, "empty")
    assert pane.tree.topLevelItem(0).text(1) == "0"
    assert "empty" in pane.detail_label.text()
    pane.run_search("refunds")
    assert "is empty" in pane.results_view.toPlainText()


def test_a_taken_or_bad_name_is_refused_with_a_sentence(qtbot, pane, shop_folder):
    create_with_buttons(qtbot, pane, shop_folder, "shop")
    assert not pane.create_from_folder(shop_folder, "shop")
    assert "already exists" in pane.banner.text
    assert not pane.create_from_folder(shop_folder, "../evil")
    assert "not a usable knowledge base name" in pane.banner.text
    assert not pane.indexer.busy


def test_add_files_and_reindex(qtbot, pane, shop_folder, tmp_path):
    create_with_buttons(qtbot, pane, shop_folder, "shop")
    extra = tmp_path / "hours.md"
    extra.write_text("# Opening hours\n\n## Weekdays\n\nOpen 9 to 17.\n", "utf-8")
    pane.ask_files = lambda: [extra]
    with qtbot.waitSignal(pane.indexer.finished, timeout=30_000):
        pane.add_button.click()
    assert pane.tree.topLevelItem(0).text(1) == "7"
    (shop_folder / "faq.csv").unlink()
    with qtbot.waitSignal(pane.indexer.finished, timeout=30_000):
        pane.reindex_button.click()
    assert pane.tree.topLevelItem(0).text(1) == "6"
    assert "1 removed" in pane.status_label.text()


def test_cancel_button_stops_indexing(qtbot, pane, shop_folder, monkeypatch):
    gate = threading.Event()
    real_sync_file = KnowledgeBase._sync_file

    def slow_sync_file(self, *args):
        real_sync_file(self, *args)
        gate.wait(10)

    monkeypatch.setattr(KnowledgeBase, "_sync_file", slow_sync_file)
    pane.create_from_folder(shop_folder, "shop")
    qtbot.waitUntil(lambda: pane.progress_bar.maximum() == 6, timeout=30_000)
    assert "of 6" in pane.progress_label.text()
    with qtbot.waitSignal(pane.indexer.cancelled, timeout=30_000):
        pane.cancel_button.click()
        gate.set()
    assert "cancelled" in pane.status_label.text()
    assert pane.names() == []
    assert not pane.progress_row.isVisibleTo(pane)


def test_delete_asks_first(qtbot, pane, shop_folder):
    create_with_buttons(qtbot, pane, shop_folder, "shop")
    asked: list[str] = []

    def refuse(title: str, text: str) -> bool:
        asked.append(text)
        return False

    pane.confirm = refuse
    pane.delete_button.click()
    assert asked and "shop" in asked[0]
    assert pane.names() == ["shop"]
    pane.confirm = lambda *_: True
    with qtbot.waitSignal(pane.kbs_changed, timeout=1_000):
        pane.delete_button.click()
    assert pane.names() == []
    assert library.list_kbs() == []
    assert not pane.delete_button.isEnabled()
