"""Knowledge-base indexing off the GUI thread: a worker on its own QThread and its GUI owner."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_chat.kb import library
from desktop_chat.kb.index import IndexReport, KbError

log = logging.getLogger(__name__)

# Progress is coalesced to this interval: a folder of thousands of small files would
# otherwise flood the GUI thread's event queue with one signal per file.
PROGRESS_INTERVAL_S = 0.05
MAX_SKIPPED_NAMED = 8  # beyond this the sentence says "and N more" instead of naming them

_live: weakref.WeakSet[KbIndexer] = weakref.WeakSet()


def running_indexer_threads() -> int:
    """How many indexing threads are still running; tests fail on one left behind."""
    return sum(1 for indexer in _live if indexer.thread_running)


class KbIndexWorker(QObject):
    """Runs indexing jobs one after another on the thread it was moved to.

    Every job ends with exactly one of ``finished``, ``failed`` or ``cancelled``, emitted
    from a ``finally``. The cancel event of each job is set directly by the GUI thread.
    """

    progress = Signal(int, int, str)
    finished = Signal(str, object)
    failed = Signal(str, str)
    cancelled = Signal(str)

    @Slot(str, object, object)
    def create(self, name: str, paths: list[str], cancel: threading.Event) -> None:
        """Create knowledge base ``name`` from files and folders."""
        self._run(name, cancel, lambda progress: self._create(name, paths, progress, cancel))

    @Slot(str, object, object)
    def add(self, name: str, paths: list[str], cancel: threading.Event) -> None:
        """Add files or folders to the existing knowledge base ``name`` and index them."""

        def job(progress: Callable[[int, int, str], None]) -> IndexReport:
            with library.open_kb(name) as kb:
                return kb.add_paths(paths, progress, cancel)

        self._run(name, cancel, job)

    @Slot(str, object)
    def sync(self, name: str, cancel: threading.Event) -> None:
        """Bring knowledge base ``name`` up to date with its files."""

        def job(progress: Callable[[int, int, str], None]) -> IndexReport:
            with library.open_kb(name) as kb:
                return kb.sync(progress, cancel)

        self._run(name, cancel, job)

    def _create(
        self,
        name: str,
        paths: list[str],
        progress: Callable[[int, int, str], None],
        cancel: threading.Event,
    ) -> IndexReport:
        if library.exists(name):
            raise library.KbExistsError(
                self.tr(
                    'A knowledge base called "{name}" already exists: choose another name.'
                ).format(name=name)
            )
        try:
            report = library.create_kb(name, paths, progress, cancel)
        except BaseException:
            library.delete_kb(name)
            raise
        if report.cancelled:
            # A half-built knowledge base would look complete in the list: drop it.
            library.delete_kb(name)
        return report

    def _run(
        self,
        name: str,
        cancel: threading.Event,
        job: Callable[[Callable[[int, int, str], None]], IndexReport],
    ) -> None:
        last = 0.0

        def progress(done: int, total: int, source: str) -> None:
            nonlocal last
            now = time.monotonic()
            if done in (1, total) or now - last >= PROGRESS_INTERVAL_S:
                last = now
                self.progress.emit(done, total, source)

        report: IndexReport | None = None
        message = self.tr("Indexing stopped unexpectedly. Details are in the log file.")
        skipped = cancel.is_set()  # cancelled while it waited in the queue
        try:
            if not skipped:
                report = job(progress)
        except (KbError, OSError) as exc:
            log.warning("indexing %s failed: %s", name, exc)
            message = str(exc)
        except Exception:
            log.exception("indexing %s failed", name)
        finally:
            if report is not None and not report.cancelled:
                self.finished.emit(name, report)
            elif report is not None or skipped:
                self.cancelled.emit(name)
            else:
                self.failed.emit(name, message)


class KbIndexer(QObject):
    """The GUI thread's handle on indexing: queue jobs, cancel them, and shut down at exit.

    The thread starts on the first job. Jobs run one at a time in the order asked; ``cancel``
    stops the running job and every queued one. ``shutdown`` must be called at app exit.
    """

    progress = Signal(int, int, str)
    finished = Signal(str, object)
    failed = Signal(str, str)
    cancelled = Signal(str)

    _create_requested = Signal(str, object, object)
    _add_requested = Signal(str, object, object)
    _sync_requested = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: deque[threading.Event] = deque()
        self._closed = False
        self._thread = QThread()
        self._thread.setObjectName("kb-indexer")
        self._worker = KbIndexWorker()
        self._worker.moveToThread(self._thread)
        # Deleted on its own thread as that thread ends; see shutdown().
        self._thread.finished.connect(self._worker.deleteLater)
        self._create_requested.connect(self._worker.create)
        self._add_requested.connect(self._worker.add)
        self._sync_requested.connect(self._worker.sync)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        _live.add(self)

    # -- requests --------------------------------------------------------------------------
    def create(self, name: str, paths: Iterable[Path | str]) -> None:
        """Create knowledge base ``name`` from files and folders."""
        self._create_requested.emit(name, [str(p) for p in paths], self._new_job())

    def add(self, name: str, paths: Iterable[Path | str]) -> None:
        """Add files or folders to knowledge base ``name``."""
        self._add_requested.emit(name, [str(p) for p in paths], self._new_job())

    def sync(self, name: str) -> None:
        """Re-index knowledge base ``name``: new, changed and deleted files."""
        self._sync_requested.emit(name, self._new_job())

    def cancel(self) -> None:
        """Stop the running job and every queued one; each still ends with ``cancelled``."""
        for event in self._pending:
            event.set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @property
    def thread_running(self) -> bool:
        return self._thread.isRunning()

    def _new_job(self) -> threading.Event:
        if self._closed:
            raise RuntimeError("KbIndexer was shut down")
        if not self._thread.isRunning():
            self._thread.start()
        event = threading.Event()
        self._pending.append(event)
        return event

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
        return text

    # -- worker results, on the GUI thread -------------------------------------------------
    def _job_done(self) -> None:
        # Jobs run in order on one thread, so the oldest pending event is the one that ended.
        if self._pending:
            self._pending.popleft()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, source: str) -> None:
        self.progress.emit(done, total, source)

    @Slot(str, object)
    def _on_finished(self, name: str, report: IndexReport) -> None:
        self._job_done()
        self.finished.emit(name, report)

    @Slot(str, str)
    def _on_failed(self, name: str, message: str) -> None:
        self._job_done()
        self.failed.emit(name, message)

    @Slot(str)
    def _on_cancelled(self, name: str) -> None:
        self._job_done()
        self.cancelled.emit(name)

    # -- shutdown --------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel every job and join the thread. Jobs still queued then never report."""
        if self._closed:
            return
        self._closed = True
        self.cancel()
        if self._thread.isRunning():
            self._thread.quit()
            if not self._thread.wait(timeout_ms):
                log.error("the indexing thread did not stop in %d ms", timeout_ms)
        self._pending.clear()
