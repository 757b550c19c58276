"""KbIndexer and its worker thread: progress, one terminal signal per job, cancel, shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import tasks
from desktop_chat.kb import library
from desktop_chat.kb.index import IndexReport, KnowledgeBase
from desktop_chat.ui.knowledge.indexer import KbIndexer


def indexing_tasks() -> list[tasks.Task]:
    return [task for task in tasks.live_tasks() if task.name.startswith("kb-")]


@pytest.fixture
def indexer(qtbot) -> Iterator[KbIndexer]:
    indexer = KbIndexer()
    yield indexer
    indexer.shutdown()


class Recorder:
    """Collects every signal of an indexer, in order."""

    def __init__(self, indexer: KbIndexer) -> None:
        self.progress: list[tuple[int, int, str]] = []
        self.terminal: list[tuple[str, str, object]] = []
        indexer.progress.connect(lambda d, t, s: self.progress.append((d, t, s)))
        indexer.finished.connect(lambda n, r: self.terminal.append(("finished", n, r)))
        indexer.failed.connect(lambda n, m: self.terminal.append(("failed", n, m)))
        indexer.cancelled.connect(lambda n: self.terminal.append(("cancelled", n, None)))


def test_create_from_the_sample_reports_progress_and_finishes_once(qtbot, indexer):
    record = Recorder(indexer)
    files = library.sample_kb_paths("en")
    with qtbot.waitSignal(indexer.finished, timeout=30_000) as blocker:
        indexer.create("shop", files)
        assert indexer.busy
    name, report = blocker.args
    assert name == "shop"
    assert isinstance(report, IndexReport)
    assert sorted(report.added) == sorted(p.name for p in files)
    assert record.progress, "no progress arrived"
    assert record.progress[-1][:2] == (len(files), len(files))
    qtbot.wait(50)  # a second terminal signal would have arrived by now
    assert [t[0] for t in record.terminal] == ["finished"]
    assert not indexer.busy
    assert library.list_kbs() == ["shop"]
    with library.open_kb("shop") as kb:
        assert kb.stats().documents == len(files)


def test_binary_and_unsupported_files_are_reported_skipped(qtbot, indexer, tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "faq.md").write_text("# FAQ\n\n## Hours\n\nWe are open 9 to 5.\n", "utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    photo = tmp_path / "photo.bin"
    photo.write_bytes(b"\x89PNG\x00")
    with qtbot.waitSignal(indexer.finished, timeout=30_000) as blocker:
        indexer.create("docs", [folder, photo])
    report = blocker.args[1]
    assert report.added == ["docs/faq.md"]
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert skipped == {"broken.txt": "binary file", "photo.bin": "unsupported file type"}


def test_cancel_mid_index_ends_with_cancelled_and_removes_the_half_built_kb(
    qtbot, indexer, monkeypatch
):
    gate = threading.Event()
    real_sync_file = KnowledgeBase._sync_file

    def slow_sync_file(self, *args):
        real_sync_file(self, *args)
        gate.wait(10)  # hold the worker after its first file until the test has cancelled

    monkeypatch.setattr(KnowledgeBase, "_sync_file", slow_sync_file)
    record = Recorder(indexer)
    with qtbot.waitSignal(indexer.progress, timeout=30_000):
        indexer.create("shop", library.sample_kb_paths("en"))
    with qtbot.waitSignal(indexer.cancelled, timeout=30_000) as blocker:
        indexer.cancel()
        gate.set()
    assert blocker.args == ["shop"]
    qtbot.wait(50)
    assert [t[0] for t in record.terminal] == ["cancelled"]
    assert len(record.progress) < len(library.sample_kb_paths("en"))
    assert library.list_kbs() == []


def test_cancel_keeps_an_existing_kb_and_what_was_indexed(qtbot, indexer, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        (folder / f"page{i}.md").write_text(f"# Page {i}\n\nText number {i}.\n", "utf-8")
    with qtbot.waitSignal(indexer.finished, timeout=30_000):
        indexer.create("docs", [folder])
    extra = tmp_path / "more"
    extra.mkdir()
    for i in range(3):
        (extra / f"more{i}.md").write_text(f"# More {i}\n\nMore text {i}.\n", "utf-8")
    gate = threading.Event()
    real_sync_file = KnowledgeBase._sync_file

    def slow_sync_file(self, *args):
        real_sync_file(self, *args)
        gate.wait(10)

    monkeypatch.setattr(KnowledgeBase, "_sync_file", slow_sync_file)
    with qtbot.waitSignal(indexer.progress, timeout=30_000):
        indexer.add("docs", [extra])
    with qtbot.waitSignal(indexer.cancelled, timeout=30_000):
        indexer.cancel()
        gate.set()
    assert library.list_kbs() == ["docs"]
    with library.open_kb("docs") as kb:
        assert 3 <= kb.stats().documents < 6


def test_jobs_run_in_order_and_a_missing_kb_fails_with_a_sentence(qtbot, indexer):
    record = Recorder(indexer)
    indexer.create("shop", library.sample_kb_paths("en"))
    indexer.sync("shop")
    indexer.sync("nothing-here")
    qtbot.waitUntil(lambda: len(record.terminal) == 3, timeout=30_000)
    kinds = [(kind, name) for kind, name, _ in record.terminal]
    assert kinds == [("finished", "shop"), ("finished", "shop"), ("failed", "nothing-here")]
    assert record.terminal[1][2].unchanged  # the second pass found nothing new
    assert record.terminal[2][2] == 'There is no knowledge base called "nothing-here".'
    assert not indexer.busy


def test_creating_over_an_existing_name_fails_and_keeps_it(qtbot, indexer):
    with qtbot.waitSignal(indexer.finished, timeout=30_000):
        indexer.create("shop", library.sample_kb_paths("en"))
    with qtbot.waitSignal(indexer.failed, timeout=30_000) as blocker:
        indexer.create("shop", library.sample_kb_paths("zh"))
    assert "already exists" in blocker.args[1]
    with library.open_kb("shop") as kb:
        assert kb.stats().documents == len(library.sample_kb_paths("en"))


def test_shutdown_cancels_and_joins_the_thread(qtbot, monkeypatch):
    gate = threading.Event()
    real_sync_file = KnowledgeBase._sync_file

    def slow_sync_file(self, *args):
        real_sync_file(self, *args)
        gate.wait(0.2)

    monkeypatch.setattr(KnowledgeBase, "_sync_file", slow_sync_file)
    indexer = KbIndexer()
    assert indexing_tasks() == []  # a task starts with the first job
    with qtbot.waitSignal(indexer.progress, timeout=30_000):
        indexer.create("shop", library.sample_kb_paths("en"))
    running = indexing_tasks()
    assert [task.name for task in running] == ["kb-create"]
    indexer.shutdown()
    assert not running[0].running() and indexing_tasks() == []
    indexer.shutdown()  # a second call is harmless
    with pytest.raises(RuntimeError):
        indexer.sync("shop")


def test_shutdown_without_a_job_is_harmless():
    indexer = KbIndexer()
    indexer.shutdown()
    assert indexing_tasks() == []


def test_shutdown_all_at_exit_stops_a_running_job(qtbot, indexer, monkeypatch):
    """The app's last word, tasks.shutdown_all, reaches indexing like every other task."""
    gate = threading.Event()
    real_sync_file = KnowledgeBase._sync_file

    def slow_sync_file(self, *args):
        real_sync_file(self, *args)
        gate.wait(0.2)

    monkeypatch.setattr(KnowledgeBase, "_sync_file", slow_sync_file)
    with qtbot.waitSignal(indexer.progress, timeout=30_000):
        indexer.create("shop", library.sample_kb_paths("en"))
    (running,) = indexing_tasks()
    assert tasks.shutdown_all(10)
    assert not running.running()
    assert library.list_kbs() == []  # the half-built knowledge base was dropped
