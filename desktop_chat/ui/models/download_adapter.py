"""Qt face of the DownloadQueue: its thread's callbacks become throttled GUI-thread signals."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop_chat.models.download import Progress
from desktop_chat.models.download_queue import DownloadJob, DownloadQueue, JobState

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1  # about ten progress signals a second per job is plenty for a bar


class DownloadQueueAdapter(QObject):
    """Wraps a DownloadQueue; ``progress`` and ``changed`` are always emitted on the GUI thread.

    The queue calls back on its worker thread. Those callbacks only emit private signals
    wired to this object's own slots with queued connections, so the public signals, and
    every widget slot connected to them, run on the thread this adapter lives in.
    """

    progress = Signal(str, object)  # job id, Progress
    changed = Signal(object)  # DownloadJob
    _progress_from_queue = Signal(str, object)
    _changed_from_queue = Signal(object)

    def __init__(
        self,
        queue: DownloadQueue | None = None,
        parent: QObject | None = None,
        interval_s: float = PROGRESS_INTERVAL_S,
    ) -> None:
        super().__init__(parent)
        self.queue = queue if queue is not None else DownloadQueue()
        self._interval_s = interval_s
        self._last_emit: dict[str, float] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._progress_from_queue.connect(
            self._deliver_progress, Qt.ConnectionType.QueuedConnection
        )
        self._changed_from_queue.connect(self._deliver_changed, Qt.ConnectionType.QueuedConnection)
        self.queue.on_progress = self._on_queue_progress
        self.queue.on_change = self._on_queue_change

    # -- called on the queue's thread ---------------------------------------------------------

    def _on_queue_progress(self, job_id: str, progress: Progress) -> None:
        now = time.monotonic()
        finished = progress.total is not None and progress.done >= progress.total
        with self._lock:
            if self._closed:
                return
            last = self._last_emit.get(job_id)
            # A job's first report always passes (monotonic time may be under one interval).
            if not finished and last is not None and now - last < self._interval_s:
                return
            self._last_emit[job_id] = now
        # RuntimeError: the adapter was deleted without shutdown(), so nobody listens.
        with contextlib.suppress(RuntimeError):
            self._progress_from_queue.emit(job_id, progress)

    def _on_queue_change(self, job: DownloadJob) -> None:
        with self._lock:
            if self._closed:
                return
        with contextlib.suppress(RuntimeError):
            self._changed_from_queue.emit(job)

    # -- GUI thread -------------------------------------------------------------------------

    @Slot(str, object)
    def _deliver_progress(self, job_id: str, progress: Progress) -> None:
        job = self.queue.get(job_id)
        # A late report must not move a bar after pause or cancel.
        if job is not None and job.state in (JobState.RUNNING, JobState.DONE):
            self.progress.emit(job_id, progress)

    @Slot(object)
    def _deliver_changed(self, job: DownloadJob) -> None:
        current = self.queue.get(job.id)
        # Changes can arrive after a newer one was applied; the queue knows the latest.
        self.changed.emit(current if current is not None else job)

    def start(self) -> None:
        self.queue.start()

    def add(
        self,
        url: str,
        filename: str,
        *,
        sha256: str | None = None,
        size: int | None = None,
        repo_id: str | None = None,
    ) -> str:
        return self.queue.add(url, filename, sha256=sha256, size=size, repo_id=repo_id)

    def jobs(self) -> list[DownloadJob]:
        return self.queue.jobs()

    def get(self, job_id: str) -> DownloadJob | None:
        return self.queue.get(job_id)

    def pause(self, job_id: str) -> None:
        self.queue.pause(job_id)

    def resume(self, job_id: str) -> None:
        """Also the retry of a failed job: it continues from whatever was kept."""
        self.queue.resume(job_id)

    def cancel(self, job_id: str) -> None:
        self.queue.cancel(job_id)

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop the queue (running jobs stay queued for next time) and join its thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.queue.shutdown(timeout_s)
        self.queue.on_progress = None
        self.queue.on_change = None
