"""A download queue: one file at a time on a worker thread; pause, resume, cancel, restart."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop_chat import paths
from desktop_chat.fsutil import atomic_write_text, is_disk_full, load_json_bounded, move_aside
from desktop_chat.models.download import (
    DownloadError,
    Outcome,
    Progress,
    download_file,
    part_path,
    safe_target,
)
from desktop_chat.tasks import Task, TaskContext, spawn

log = logging.getLogger(__name__)

STATE_FILE_NAME = "downloads.json"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


_PERSISTED = (JobState.QUEUED, JobState.RUNNING, JobState.PAUSED)


@dataclass(frozen=True)
class DownloadJob:
    """A snapshot of one queued file; the queue hands out copies, never its own objects."""

    id: str
    url: str
    dest: str
    sha256: str | None
    size: int | None
    repo_id: str | None = None
    state: JobState = JobState.QUEUED
    error: str | None = None
    done_bytes: int = 0

    @property
    def name(self) -> str:
        return Path(self.dest).name


ProgressHandler = Callable[[str, Progress], None]
ChangeHandler = Callable[[DownloadJob], None]


class DownloadQueue:
    """Runs downloads one at a time on one long task of the task runner (``tasks.spawn``).

    ``on_progress(job_id, Progress)`` and ``on_change(job)`` are called on the queue's worker
    thread (``on_change`` also on the caller's thread for pause/resume/cancel): a Qt adapter
    must re-emit them as queued signals and never touch widgets from them. Call ``start()``
    once and ``shutdown()`` at exit; queued and paused jobs are saved to ``state_file`` and
    come back in a new queue object, resuming from their ``.part`` files. The worker loop
    outlives any one job's failure, a full disk included: that job fails with a sentence and
    the next one runs. ``tasks.shutdown_all`` at app exit stops it like ``shutdown()``.
    """

    def __init__(
        self,
        *,
        state_file: Path | None = None,
        models_dir: Path | None = None,
        on_progress: ProgressHandler | None = None,
        on_change: ChangeHandler | None = None,
        token: Callable[[], str | None] | None = None,
        download_options: dict[str, Any] | None = None,
    ) -> None:
        self.state_file = state_file or paths.data_dir() / STATE_FILE_NAME
        self.models_dir = models_dir or paths.models_dir()
        self.on_progress = on_progress
        self.on_change = on_change
        self._token = token
        self._options = download_options or {}
        self._jobs: dict[str, DownloadJob] = {}
        self._stops: dict[str, threading.Event] = {}
        self._cond = threading.Condition()
        self._closing = False
        self._current: str | None = None
        self.task: Task | None = None
        self._load()

    # -- public API, callable from any thread -------------------------------------------

    def add(
        self,
        url: str,
        filename: str,
        *,
        sha256: str | None = None,
        size: int | None = None,
        repo_id: str | None = None,
    ) -> str:
        """Queue ``url`` to be saved as ``filename`` in the models folder; returns the job id.

        Raises UnsafeFileName for a hostile name. Adding a file already queued returns the
        existing job's id.
        """
        dest = safe_target(self.models_dir, filename)
        with self._cond:
            for job in self._jobs.values():
                if job.dest == str(dest) and job.state in _PERSISTED:
                    return job.id
            job = DownloadJob(uuid.uuid4().hex[:12], url, str(dest), sha256, size, repo_id)
            self._jobs[job.id] = job
            self._save_locked()
            self._cond.notify_all()
        self._emit(job)
        return job.id

    def jobs(self) -> list[DownloadJob]:
        with self._cond:
            return list(self._jobs.values())

    def get(self, job_id: str) -> DownloadJob | None:
        with self._cond:
            return self._jobs.get(job_id)

    def pause(self, job_id: str) -> None:
        self._set_state(job_id, JobState.PAUSED, (JobState.QUEUED, JobState.RUNNING))

    def resume(self, job_id: str) -> None:
        """Put a paused or failed job back in the queue; it continues from its .part."""
        self._set_state(job_id, JobState.QUEUED, (JobState.PAUSED, JobState.FAILED))

    def cancel(self, job_id: str) -> None:
        """Stop the job and delete its .part file."""
        job = self._set_state(job_id, JobState.CANCELLED, (*_PERSISTED, JobState.FAILED))
        if job is not None and self._current != job_id:
            part_path(Path(job.dest)).unlink(missing_ok=True)

    def start(self) -> None:
        with self._cond:
            if self.task is None and not self._closing:
                self.task = spawn("model-downloads", self._serve)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the running download (kept as queued for next time) and join the worker;
        False if it did not end within ``timeout`` seconds."""
        self._close()
        if self.task is None:
            return True
        if not self.task.join(timeout):
            log.warning("the download queue did not stop within %.1f s", timeout)
            return False
        return True

    def _close(self) -> None:
        with self._cond:
            self._closing = True
            for stop in self._stops.values():
                stop.set()
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is queued or running (for tests and the CLI)."""
        with self._cond:
            return self._cond.wait_for(self._idle_locked, timeout)

    def _idle_locked(self) -> bool:
        busy = (JobState.QUEUED, JobState.RUNNING)
        return self._current is None and not any(j.state in busy for j in self._jobs.values())

    # -- worker --------------------------------------------------------------------------

    def _serve(self, context: TaskContext) -> None:
        context.on_cancel(self._close)  # the loop waits on the condition, not the event
        while True:
            with self._cond:
                job = self._cond.wait_for(self._next_locked)
                if self._closing or job is None or job is True:
                    return
                assert isinstance(job, DownloadJob)
                stop = threading.Event()
                self._stops[job.id] = stop
                self._current = job.id
                job = self._update_locked(job.id, state=JobState.RUNNING, error=None)
            self._emit(job)
            try:
                self._run_one(job, stop)
            except Exception:  # a bug in the bookkeeping must not end the queue
                log.exception("download %s: the queue could not record its end", job.id)
                with self._cond:
                    self._stops.pop(job.id, None)
                    self._current = None
                    failed = self._update_locked(
                        job.id, state=JobState.FAILED, error=_unexpected(job)
                    )
                    self._cond.notify_all()
                self._emit(failed)

    def _next_locked(self) -> DownloadJob | bool | None:
        if self._closing:
            return True
        return next((j for j in self._jobs.values() if j.state is JobState.QUEUED), None)

    def _run_one(self, job: DownloadJob, stop: threading.Event) -> None:
        def progress(p: Progress) -> None:
            if self.on_progress is not None:
                self.on_progress(job.id, p)

        error: str | None = None
        outcome = Outcome.STOPPED
        try:
            outcome = download_file(
                job.url,
                Path(job.dest),
                sha256=job.sha256,
                size=job.size,
                stop=stop,
                on_progress=progress,
                token=self._token() if self._token else None,
                **self._options,
            )
        except DownloadError as exc:
            error = str(exc)
        except OSError as exc:
            log.warning("download %s failed: %s", job.id, exc)
            error = _os_error_sentence(job, exc)
        except Exception:  # a bug must not kill the worker thread silently
            log.exception("download %s failed", job.id)
            error = _unexpected(job)
        part = part_path(Path(job.dest))
        with self._cond:
            self._stops.pop(job.id, None)
            self._current = None
            state = self._jobs[job.id].state
            kept = _size_or_zero(part)
            if error is not None:
                new = self._update_locked(
                    job.id, state=JobState.FAILED, error=error, done_bytes=kept
                )
            elif outcome is Outcome.COMPLETED:
                new = self._update_locked(job.id, state=JobState.DONE, done_bytes=job.size or 0)
            elif state is JobState.CANCELLED:
                part.unlink(missing_ok=True)
                new = self._update_locked(job.id, done_bytes=0)
            elif state is JobState.RUNNING:  # stopped by shutdown: resume on the next run
                new = self._update_locked(job.id, state=JobState.QUEUED, done_bytes=kept)
            else:
                new = self._update_locked(job.id, done_bytes=kept)
            self._cond.notify_all()
        self._emit(new)

    # -- state ---------------------------------------------------------------------------

    def _set_state(
        self, job_id: str, state: JobState, allowed: tuple[JobState, ...]
    ) -> DownloadJob | None:
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None or job.state not in allowed:
                return None
            stop = self._stops.get(job_id)
            if stop is not None:
                stop.set()
            job = self._update_locked(job_id, state=state, error=None)
            self._cond.notify_all()
        self._emit(job)
        return job

    def _update_locked(self, job_id: str, **changes: Any) -> DownloadJob:
        job = replace(self._jobs[job_id], **changes)
        self._jobs[job_id] = job
        self._save_locked()
        return job

    def _emit(self, job: DownloadJob) -> None:
        if self.on_change is not None:
            try:
                self.on_change(job)
            except Exception:
                log.exception("download change handler failed")

    def _save_locked(self) -> None:
        kept = [
            {**asdict(job), "state": str(job.state)}
            for job in self._jobs.values()
            if job.state in _PERSISTED
        ]
        try:
            atomic_write_text(self.state_file, json.dumps({"version": 1, "jobs": kept}, indent=1))
        except OSError as exc:
            # On a full disk the queue goes on in memory (it is saved again with the next
            # change); the job that hit the full disk says so in its own sentence.
            log.warning("could not save the download queue to %s: %s", self.state_file, exc)

    def _load(self) -> None:
        if not self.state_file.exists():
            return
        try:
            data: Any = load_json_bounded(self.state_file.read_text(encoding="utf-8"), max_depth=16)
            for raw in data["jobs"]:
                job = DownloadJob(**{**raw, "state": JobState(raw["state"])})
                safe_target(self.models_dir, Path(job.dest).name)
                if job.state is JobState.RUNNING:  # the app stopped mid-download
                    job = replace(job, state=JobState.QUEUED)
                self._jobs[job.id] = job
        except (OSError, ValueError, KeyError, TypeError, DownloadError):
            log.warning("unreadable download queue %s; moved aside", self.state_file)
            self._jobs.clear()
            move_aside(self.state_file)


def _os_error_sentence(job: DownloadJob, exc: OSError) -> str:
    if is_disk_full(exc):
        return (
            f"The disk is full, so the download of {job.name} stopped. What was downloaded is "
            "kept; free some space and resume the download."
        )
    reason = exc.strerror or str(exc)
    return (
        f"The download of {job.name} could not be saved ({reason}). Check the models folder "
        "and try again."
    )


def _unexpected(job: DownloadJob) -> str:
    return f"The download of {job.name} failed unexpectedly. Details are in the log file."


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
