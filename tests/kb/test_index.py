"""Indexing: ingest, incremental re-index, deletion, skipped files, empty knowledge bases."""

from __future__ import annotations

import os
from pathlib import Path

from desktop_chat.kb.index import KnowledgeBase


def test_ingest_keeps_sources_and_heading_paths(kb: KnowledgeBase) -> None:
    assert kb.stats().documents == 3
    sections = {p.section for p in kb.search("delivery times", k=10)}
    assert "Shipping > Delivery times" in sections


def test_reindex_after_edit_touches_only_that_document(kb: KnowledgeBase, docs: Path) -> None:
    before = {p.id: p.text for p in kb.search("refund", k=10)}
    file = docs / "shipping.md"
    file.write_text(
        file.read_text("utf-8") + "\n## Parcel lockers\n\nLockers hold parcels 7 days.\n"
    )
    os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 10**9))
    report = kb.sync()
    assert report.updated == ["shipping.md"]
    assert report.added == report.removed == []
    assert sorted(report.unchanged) == ["returns.md", "zh.md"]
    assert kb.search("lockers")[0].section == "Shipping > Parcel lockers"
    assert {p.id: p.text for p in kb.search("refund", k=10)} == before


def test_touch_without_change_is_not_rechunked(kb: KnowledgeBase, docs: Path) -> None:
    file = docs / "returns.md"
    os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 10**9))
    report = kb.sync()
    assert not report.changed


def test_deleted_file_is_removed(kb: KnowledgeBase, docs: Path) -> None:
    (docs / "returns.md").unlink()
    report = kb.sync()
    assert report.removed == ["returns.md"]
    assert all(p.source != "returns.md" for p in kb.search("refund", k=10))
    assert kb.stats().documents == 2


def test_binary_and_unreadable_files_are_skipped_and_listed(tmp_path: Path, docs: Path) -> None:
    (docs / "image.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    (docs / "latin.txt").write_bytes(bytes(range(128, 256)) * 3)
    named = tmp_path / "table.xlsx"
    named.write_bytes(b"PK")
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        report = kb.add_paths([docs, named])
        skipped = {s.path.split("/")[-1] for s in report.skipped}
        assert {"image.txt", "table.xlsx"} <= skipped
        assert "shipping.md" in [a.split("/")[-1] for a in report.added]
        assert kb.search("shipping costs")


def test_empty_knowledge_base_finds_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths([empty])
        assert kb.stats().passages == 0
        assert kb.search("refund") == []


def test_csv_and_html_are_split_into_passages(tmp_path: Path) -> None:
    (tmp_path / "faq.csv").write_text(
        'question,answer\nDo you ship to PO boxes?,"No, choose a parcel locker."\n', "utf-8"
    )
    (tmp_path / "page.html").write_text(
        "<html><head><style>p{}</style></head><body><h1>Help</h1><h2>Gift wrap</h2>"
        "<p>Gift wrapping costs &euro;2.50.</p><script>alert(1)</script></body></html>",
        "utf-8",
    )
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths([tmp_path / "faq.csv", tmp_path / "page.html"])
        hit = kb.search("post office box")[0]
        assert (hit.source, hit.section) == ("faq.csv", "Do you ship to PO boxes?")
        wrap = kb.search("gift wrapping price")[0]
        assert wrap.section == "Help > Gift wrap"
        assert "€2.50" in wrap.text and "alert" not in wrap.text and "<" not in wrap.text
