"""Knowledge-base indexing off the GUI thread: jobs run one at a time as tasks of the runner."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_chat.kb import bilingual, library
from desktop_chat.kb.embedder import EmbedderError, default_embedder
from desktop_chat.kb.index import IndexReport, KbError
from desktop_chat.tasks import TaskContext, TaskRunner

log = logging.getLogger(__name__)

# Progress is coalesced to this interval: a folder of thousands of small files would
# otherwise flood the GUI thread's event queue with one signal per file.
PROGRESS_INTERVAL_S = 0.05
MAX_SKIPPED_NAMED = 8  # beyond this the sentence says "and N more" instead of naming them

Progress = Callable[[int, int, str], None]


@dataclass
class _Job:
    """One request: what to index, and its own cancel event (set straight from the GUI)."""

    kind: str  # "create", "add" or "sync"
    name: str
    paths: list[str]
    cancel: threading.Event = field(default_factory=threading.Event)


class KbIndexer(QObject):
    """The GUI thread's handle on indexing: queue jobs, cancel them, and shut down at exit.

    Jobs run one at a time, in the order asked, each as a task of the task runner; every job
    ends with exactly one of ``finished``, ``failed`` or ``cancelled``. ``cancel`` stops the
    running job and every queued one. ``shutdown`` must be called at app exit.
    """

    progress = Signal(int, int, str)
    finished = Signal(str, object)
    failed = Signal(str, str)
    cancelled = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = TaskRunner(self)
        self._jobs: deque[_Job] = deque()  # the head runs while _running is set
        self._running = False
        self._closed = False
        self._warmed = False

    # -- requests --------------------------------------------------------------------------
    def create(self, name: str, paths: Iterable[Path | str]) -> None:
        """Create knowledge base ``name`` from files and folders."""
        self._queue(_Job("create", name, [str(p) for p in paths]))

    def add(self, name: str, paths: Iterable[Path | str]) -> None:
        """Add files or folders to knowledge base ``name``."""
        self._queue(_Job("add", name, [str(p) for p in paths]))

    def sync(self, name: str) -> None:
        """Re-index knowledge base ``name``: new, changed and deleted files."""
        self._queue(_Job("sync", name, []))

    def cancel(self) -> None:
        """Stop the running job and every queued one; each still ends with ``cancelled``."""
        for job in self._jobs:
            job.cancel.set()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def _queue(self, job: _Job) -> None:
        if self._closed:
            raise RuntimeError("KbIndexer was shut down")
        self._jobs.append(job)
        self._start_next()

    def warm_up(self) -> None:
        """Load the sentence encoder and the dictionary on a task, so the first search does not
        wait on the GUI (the dictionary takes ~2 s to read)."""
        if self._warmed or self._closed:
            return
        self._warmed = True

        def load(_context: TaskContext) -> None:
            default_embedder().embed_queries(["warm up"])
            bilingual.dictionary()

        self._runner.run("kb-embedder", load, expected=(EmbedderError,))

    def _start_next(self) -> None:
        while self._jobs and not self._running:
            job = self._jobs[0]
            if job.cancel.is_set():  # cancelled while it waited in the queue
                self._jobs.popleft()
                self.cancelled.emit(job.name)
                continue
            task = self._runner.run(
                f"kb-{job.kind}",
                lambda context, job=job: self._index(job, context),
                self._on_done,
                self._on_failed,
                self._on_progress,
                expected=(KbError, OSError),
            )
            if task is None:  # shut down: nothing new starts
                return
            self._running = True

    # -- on the task's thread --------------------------------------------------------------
    def _index(self, job: _Job, context: TaskContext) -> IndexReport:
        context.on_cancel(job.cancel.set)  # shutdown_all at exit stops the job too
        last = 0.0

        def progress(done: int, total: int, source: str) -> None:
            nonlocal last
            now = time.monotonic()
            if done in (1, total) or now - last >= PROGRESS_INTERVAL_S:
                last = now
                context.progress((done, total, source))

        if job.kind == "create":
            return self._create(job, progress)
        with library.open_kb(job.name) as kb:
            if job.kind == "add":
                return kb.add_paths(job.paths, progress, job.cancel)
            return kb.sync(progress, job.cancel)

    def _create(self, job: _Job, progress: Progress) -> IndexReport:
        if library.exists(job.name):
            raise library.KbExistsError(
                self.tr(
                    'A knowledge base called "{name}" already exists: choose another name.'
                ).format(name=job.name)
            )
        # create_kb builds under a hidden name and leaves nothing behind on an error or a
        # cancel; deleting by name here could remove a knowledge base another create (the
        # CLI, say) finished meanwhile.
        return library.create_kb(job.name, job.paths, progress, job.cancel)

    # -- results, on the GUI thread --------------------------------------------------------
    def _end_job(self) -> _Job:
        self._running = False
        return self._jobs.popleft()

    def _on_progress(self, _task_id: int, value: object) -> None:
        done, total, source = value  # type: ignore[misc]
        self.progress.emit(done, total, source)

    def _on_done(self, _task_id: int, report: object) -> None:
        job = self._end_job()
        assert isinstance(report, IndexReport)
        if report.cancelled:
            self.cancelled.emit(job.name)
        else:
            self.finished.emit(job.name, report)
        self._start_next()

    def _on_failed(self, _task_id: int, error: object) -> None:
        job = self._end_job()
        if isinstance(error, (KbError, OSError)):
            log.warning("indexing %s failed: %s", job.name, error)
            message = str(error)
        else:  # a bug: the runner logged it in full
            message = self.tr("Indexing stopped unexpectedly. Details are in the log file.")
        self.failed.emit(job.name, message)
        self._start_next()

    def describe(self, name: str, report: IndexReport) -> str:
        """One or two plain sentences: what indexing did, and which files it skipped and why."""
        counts = []
        for label, files in (
            (self.tr("{n} added"), report.added),
            (self.tr("{n} updated"), report.updated),
            (self.tr("{n} removed"), report.removed),
            (self.tr("{n} unchanged"), report.unchanged),
        ):
            if files:
                counts.append(label.format(n=len(files)))
        if counts:
            text = self.tr("Indexed “{name}”: {counts}.").format(
                name=name, counts=", ".join(counts)
            )
        else:
            text = self.tr("“{name}” has no documents it can read.").format(name=name)
        skipped = report.skipped
        if skipped:
            named = ", ".join(
                f"{Path(s.path).name} ({s.reason})" for s in skipped[:MAX_SKIPPED_NAMED]
            )
            if len(skipped) > MAX_SKIPPED_NAMED:
                more = len(skipped) - MAX_SKIPPED_NAMED
                named += self.tr(" and {n} more").format(n=more)
            if len(skipped) == 1:
                text += " " + self.tr("Skipped 1 file: {files}.").format(files=named)
            else:
                text += " " + self.tr("Skipped {n} files: {files}.").format(
                    n=len(skipped), files=named
                )
            # Each bad file's own sentence (what is wrong, what to do), one per line.
            details = [s.sentence for s in skipped[:MAX_SKIPPED_NAMED] if s.sentence]
            if details:
                text += "\n" + "\n".join(details)
        return text

    # -- shutdown --------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel every job and join its task. Jobs still queued then never report."""
        if self._closed:
            return
        self._closed = True
        self.cancel()
        if not self._runner.shutdown(timeout_ms / 1000):
            log.error("indexing did not stop in %d ms", timeout_ms)
        self._jobs.clear()
        self._running = False
