"""Creating a knowledge base never leaves a partial file that then "already exists"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.kb import library
from desktop_chat.kb.index import KbError, KnowledgeBase
from tests.commands import disk


def _everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_error_while_indexing_leaves_nothing_behind(docs: Path) -> None:
    def progress(done: int, _total: int, _source: str) -> None:
        if done == 2:
            raise RuntimeError("the indexer fell over")

    with pytest.raises(RuntimeError):
        library.create_kb("faq", [docs], progress)
    assert _everything_in(paths.kb_dir()) == []
    assert not library.exists("faq")
    # The name is free again, not taken by a half-built file.
    assert len(library.create_kb("faq", [docs]).added) == 3


def test_a_cancelled_create_leaves_nothing_behind(docs: Path) -> None:
    cancel = threading.Event()

    def progress(done: int, _total: int, _source: str) -> None:
        if done == 1:
            cancel.set()

    report = library.create_kb("faq", [docs], progress, cancel)
    assert report.cancelled
    assert _everything_in(paths.kb_dir()) == []
    assert library.list_kbs() == []


def test_a_finished_create_is_one_complete_file(docs: Path) -> None:
    library.create_kb("faq", [docs])
    assert _everything_in(paths.kb_dir()) == ["faq.sqlite3"]  # no journal, no build folder
    with library.open_kb("faq") as kb:
        assert kb.stats().documents == 3


@pytest.fixture
def small_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with disk.small_disk(tmp_path / "disk", size="2m") as mount:
        home = mount / "home"
        home.mkdir()
        monkeypatch.setenv("DESKTOP_CHAT_HOME", str(home))
        yield mount


def test_a_full_disk_is_a_sentence_and_leaves_nothing(small_home: Path, docs: Path) -> None:
    paths.kb_dir()
    disk.fill(small_home)
    with pytest.raises(KbError, match="the disk is full"):
        library.create_kb("faq", [docs])
    assert _everything_in(paths.kb_dir()) == []
    assert library.list_kbs() == []

    disk.free(small_home)
    assert len(library.create_kb("faq", [docs]).added) == 3
    assert library.list_kbs() == ["faq"]


def test_syncing_on_a_full_disk_is_a_sentence_and_keeps_the_index(
    small_home: Path, docs: Path
) -> None:
    library.create_kb("faq", [docs])
    big = docs / "big.md"
    big.write_text(
        "# Big\n\n" + "\n\n".join(f"## Part {i}\n\nrefund {i} " * 40 for i in range(150))
    )
    with library.open_kb("faq") as kb:
        disk.fill(small_home)
        with pytest.raises(KbError, match="the disk is full"):
            kb.sync()
    disk.free(small_home)
    with library.open_kb("faq") as kb:
        assert kb.stats().documents == 3  # what was indexed before is still there
        assert "big.md" in kb.sync().added


def test_a_damaged_file_still_says_damaged(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(KbError, match="is damaged"):
        KnowledgeBase(bad)


def test_a_build_folder_left_by_a_killed_create_is_swept_later(docs: Path) -> None:
    """SIGKILL mid-create leaves a hidden build folder; the next create removes an old one and
    never a recent one (another process may be building it right now)."""
    import os
    import time

    old = paths.kb_dir() / ".building-old"
    recent = paths.kb_dir() / ".building-recent"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "x.sqlite3").write_bytes(b"half")
    stale = time.time() - library.ABANDONED_BUILD_S - 60
    os.utime(old, (stale, stale))
    library.create_kb("faq", [docs])
    assert not old.exists()
    assert recent.exists()
    assert library.list_kbs() == ["faq"]
