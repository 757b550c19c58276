"""The download queue: one at a time, pause, cancel, resume after a restart, bad files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.models import hub, library
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


def test_corrupt_state_file_is_moved_aside() -> None:
    state = paths.data_dir() / "downloads.json"
    state.write_text("{broken", encoding="utf-8")
    assert DownloadQueue().jobs() == []
    assert list(Path(paths.data_dir()).glob("downloads.json.corrupt-*"))
