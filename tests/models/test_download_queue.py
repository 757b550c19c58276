"""The download queue: one at a time, pause, cancel, resume after a restart, bad files."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_chat import paths
from desktop_chat.models import download_queue, hub, library
from desktop_chat.models.download import UnsafeFileName, part_path
from desktop_chat.models.download_queue import DownloadJob, DownloadQueue, JobState
from tests.fakes.fake_hub import FakeHub, payload, sha256

REPO = "org/q-GGUF"
SIZE = 2_000_000


@pytest.fixture
def files(fake_hub: FakeHub) -> dict[str, bytes]:
    data = {"a-Q4_0.gguf": payload(SIZE, 1), "b-Q8_0.gguf": payload(SIZE, 2)}
    fake_hub.add_repo(REPO, data)
    return data


def make_queue(**kwargs: object) -> DownloadQueue:
    queue = DownloadQueue(download_options={"backoff_base": 0.01, "read_timeout": 2.0}, **kwargs)  # type: ignore[arg-type]
    queue.start()
    return queue


def add(queue: DownloadQueue, name: str, data: bytes) -> str:
    return queue.add(hub.file_url(REPO, name), name, sha256=sha256(data), size=len(data))


def wait_for(
    queue: DownloadQueue, job_id: str, *states: JobState, timeout: float = 20
) -> DownloadJob:
    done = threading.Event()
    result: list[DownloadJob] = []

    def check(job: DownloadJob) -> None:
        if job.id == job_id and job.state in states:
            result.append(job)
            done.set()

    queue.on_change = check
    current = queue.get(job_id)
    if current is not None and current.state in states:
        return current
    assert done.wait(timeout), f"job never reached {states}: {queue.get(job_id)}"
    return result[0]


def test_downloads_run_in_order(files: dict[str, bytes]) -> None:
    queue = make_queue()
    try:
        ids = [add(queue, name, data) for name, data in files.items()]
        assert queue.wait_idle(20)
        assert [queue.get(i).state for i in ids] == [JobState.DONE, JobState.DONE]  # type: ignore[union-attr]
        names = {e.path.name for e in library.scan(include_starter=False)}
        assert set(files) <= names
    finally:
        queue.shutdown()


def test_pause_restart_resume(files: dict[str, bytes], fake_hub: FakeHub) -> None:
    fake_hub.throttle_s = 0.01
    seen = threading.Event()
    queue = make_queue(on_progress=lambda job_id, p: seen.set() if p.done > 200_000 else None)
    job_id = add(queue, "a-Q4_0.gguf", files["a-Q4_0.gguf"])
    assert seen.wait(20)
    queue.pause(job_id)
    wait_for(queue, job_id, JobState.PAUSED)
    queue.shutdown()
    dest = paths.models_dir() / "a-Q4_0.gguf"
    kept = part_path(dest).stat().st_size
    assert 0 < kept < SIZE
    fake_hub.throttle_s = 0.0

    restarted = make_queue()  # a new app run reads the persisted queue
    try:
        job = restarted.get(job_id)
        assert job is not None and job.state is JobState.PAUSED
        restarted.resume(job_id)
        wait_for(restarted, job_id, JobState.DONE)
        assert dest.read_bytes() == files["a-Q4_0.gguf"]
        assert fake_hub.file_requests("a-Q4_0.gguf")[-1].get("Range") == f"bytes={kept}-"
    finally:
        restarted.shutdown()


def test_shutdown_mid_download_requeues(files: dict[str, bytes], fake_hub: FakeHub) -> None:
    fake_hub.throttle_s = 0.01
    seen = threading.Event()
    queue = make_queue(on_progress=lambda job_id, p: seen.set())
    job_id = add(queue, "b-Q8_0.gguf", files["b-Q8_0.gguf"])
    assert seen.wait(20)
    queue.shutdown()
    fake_hub.throttle_s = 0.0
    restarted = make_queue()
    try:
        wait_for(restarted, job_id, JobState.DONE)
    finally:
        restarted.shutdown()


def test_cancel_deletes_the_part(files: dict[str, bytes], fake_hub: FakeHub) -> None:
    fake_hub.throttle_s = 0.01
    seen = threading.Event()
    queue = make_queue(on_progress=lambda job_id, p: seen.set())
    try:
        job_id = add(queue, "a-Q4_0.gguf", files["a-Q4_0.gguf"])
        assert seen.wait(20)
        queue.cancel(job_id)
        wait_for(queue, job_id, JobState.CANCELLED)
        assert queue.wait_idle(10)
        assert not part_path(paths.models_dir() / "a-Q4_0.gguf").exists()
    finally:
        queue.shutdown()
    assert DownloadQueue().jobs() == []  # cancelled jobs are not persisted


def test_wrong_bytes_fail_and_are_not_registered(
    files: dict[str, bytes], fake_hub: FakeHub
) -> None:
    fake_hub.fail_next("a-Q4_0.gguf", "wrong")
    queue = make_queue()
    try:
        job_id = add(queue, "a-Q4_0.gguf", files["a-Q4_0.gguf"])
        job = wait_for(queue, job_id, JobState.FAILED)
        assert job.error and "checksum does not match" in job.error
        assert not (paths.models_dir() / "a-Q4_0.gguf").exists()
        assert all(e.path.name != "a-Q4_0.gguf" for e in library.scan(include_starter=False))
    finally:
        queue.shutdown()


def test_hostile_names_are_refused_by_the_queue(files: dict[str, bytes]) -> None:
    queue = DownloadQueue()
    with pytest.raises(UnsafeFileName):
        queue.add(hub.file_url(REPO, "x"), "../../etc/evil.gguf")
    assert queue.jobs() == []


def test_a_deeply_nested_state_file_is_moved_aside_not_a_recursion_error() -> None:
    state = Path(paths.data_dir()) / "downloads.json"
    state.write_text('{"jobs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert DownloadQueue().jobs() == []
    assert list(Path(paths.data_dir()).glob("downloads.json.corrupt-*"))


def test_corrupt_state_file_is_moved_aside() -> None:
    state = paths.data_dir() / "downloads.json"
    state.write_text("{broken", encoding="utf-8")
    assert DownloadQueue().jobs() == []
    assert list(Path(paths.data_dir()).glob("downloads.json.corrupt-*"))


# -- a full disk ----------------------------------------------------------------------------


class FullDisk:
    """A disk with ``free`` bytes left: .part writes past it and every state save then fail
    with ENOSPC, as on a real full disk (the download and the queue's own file both hit it)."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.lock = threading.Lock()

    def make_room(self) -> None:
        with self.lock:
            self.free = 1 << 40

    def take(self, n: int) -> int:
        with self.lock:
            granted = min(n, self.free)
            self.free -= granted
            return granted

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open = Path.open
        real_save = download_queue.atomic_write_text
        disk = self

        class Metered:
            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def __enter__(self) -> Metered:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                granted = disk.take(len(data))
                self.handle.write(data[:granted])
                if granted < len(data):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return granted

        def metered_open(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(path, mode, *args, **kwargs)
            if path.name.endswith(".part") and mode[0] in "aw":
                return Metered(handle)
            return handle

        def save(path: Path, text: str) -> None:
            if disk.free <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            real_save(path, text)

        monkeypatch.setattr(Path, "open", metered_open)
        monkeypatch.setattr(download_queue, "atomic_write_text", save)


def run_into_a_full_disk(
    queue: DownloadQueue, files: dict[str, bytes], make_room: Callable[[], None], *, size: bool
) -> tuple[str, str]:
    """Queue a then b; a fills the disk. Room is made when a's failure is reported, before the
    queue takes the next job, so b must then run on the same, still living, queue."""
    ids: list[str] = []

    def on_change(job: DownloadJob) -> None:
        if ids and job.id == ids[0] and job.state is JobState.FAILED:
            make_room()

    queue.on_change = on_change
    for name in ("a-Q4_0.gguf", "b-Q8_0.gguf"):
        data = files[name]
        ids.append(
            queue.add(
                hub.file_url(REPO, name),
                name,
                sha256=sha256(data),
                size=len(data) if size else None,
            )
        )
    assert queue.wait_idle(30), [queue.get(i) for i in ids]
    return ids[0], ids[1]


def check_full_disk_outcome(
    queue: DownloadQueue, models_dir: Path, files: dict[str, bytes], fake_hub: FakeHub
) -> None:
    first, second = (j.id for j in queue.jobs())
    failed = queue.get(first)
    assert failed is not None and failed.state is JobState.FAILED
    assert failed.error is not None and failed.error.startswith("The disk is full")
    part = part_path(models_dir / "a-Q4_0.gguf")
    kept = part.stat().st_size
    assert 0 < kept < SIZE and failed.done_bytes == kept  # the .part is kept for resuming
    assert not (models_dir / "a-Q4_0.gguf").exists()
    done = queue.get(second)
    assert done is not None and done.state is JobState.DONE  # the queue stayed alive
    assert (models_dir / "b-Q8_0.gguf").read_bytes() == files["b-Q8_0.gguf"]
    assert queue.task is not None and queue.task.running()
    queue.resume(first)
    assert queue.wait_idle(30)
    assert queue.get(first).state is JobState.DONE  # type: ignore[union-attr]
    assert (models_dir / "a-Q4_0.gguf").read_bytes() == files["a-Q4_0.gguf"]
    assert fake_hub.file_requests("a-Q4_0.gguf")[-1].get("Range") == f"bytes={kept}-"


def test_a_full_disk_fails_the_job_keeps_the_part_and_the_queue_runs_on(
    files: dict[str, bytes], fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = FullDisk(free=500_000)
    disk.install(monkeypatch)
    queue = make_queue()
    try:
        run_into_a_full_disk(queue, files, disk.make_room, size=True)
        check_full_disk_outcome(queue, paths.models_dir(), files, fake_hub)
    finally:
        assert queue.shutdown(10)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MiB tmpfs, where mounting is allowed (root on Linux); skipped elsewhere."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=30)


def test_a_real_full_filesystem_fails_the_job_and_the_queue_runs_on(
    files: dict[str, bytes], fake_hub: FakeHub, tiny_disk: Path
) -> None:
    filler = tiny_disk / "filler"
    filler.write_bytes(b"\0" * (5 * 1024 * 1024))  # leaves about 1 MiB for a 2 MB download
    models_dir = tiny_disk / "models"
    queue = make_queue(state_file=tiny_disk / "downloads.json", models_dir=models_dir)
    try:
        # No size: nothing is known up front, so the disk fills mid-write, state file and all.
        run_into_a_full_disk(queue, files, lambda: filler.unlink(), size=False)
        check_full_disk_outcome(queue, models_dir, files, fake_hub)
    finally:
        assert queue.shutdown(10)
