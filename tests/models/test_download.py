"""Resumable, verified downloads against the fake Hub: drops, stalls, 500s, wrong bytes, names."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.models import hub
from desktop_chat.models.download import (
    DiskFull,
    DownloadError,
    HashMismatch,
    Outcome,
    Progress,
    UnsafeFileName,
    download_file,
    part_path,
    safe_target,
)
from tests.fakes.fake_hub import FakeHub, payload, sha256

REPO = "org/tiny-GGUF"
NAME = "tiny-Q4_K_M.gguf"


@pytest.fixture
def data(fake_hub: FakeHub) -> bytes:
    body = payload(600_000)
    fake_hub.add_repo(REPO, {NAME: body})
    return body


def url() -> str:
    return hub.file_url(REPO, NAME)


def test_plain_download_verifies_and_reports_progress(data: bytes, tmp_path: Path) -> None:
    seen: list[Progress] = []
    dest = tmp_path / NAME
    outcome = download_file(
        url(), dest, sha256=sha256(data), size=len(data), on_progress=seen.append
    )
    assert outcome is Outcome.COMPLETED
    assert dest.read_bytes() == data
    assert not part_path(dest).exists()
    assert seen[-1].done == len(data) and seen[-1].total == len(data)


def test_resume_after_dropped_connection(data: bytes, fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.fail_next(NAME, "drop", after=100_000)
    fake_hub.fail_next(NAME, "drop", after=150_000)
    dest = tmp_path / NAME
    assert (
        download_file(
            url(), dest, sha256=sha256(data), size=len(data), backoff_base=0.01, read_timeout=1.0
        )
        is Outcome.COMPLETED
    )
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == sha256(data)
    ranges = [h.get("Range") for h in fake_hub.file_requests(NAME)]
    assert ranges == [None, "bytes=100000-", "bytes=250000-"]


def test_server_errors_are_retried(data: bytes, fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.fail_next(NAME, "500", times=2)
    dest = tmp_path / NAME
    assert (
        download_file(url(), dest, sha256=sha256(data), backoff_base=0.01, read_timeout=1.0)
        is Outcome.COMPLETED
    )
    assert dest.read_bytes() == data


def test_stalled_connection_times_out_and_resumes(
    data: bytes, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.fail_next(NAME, "stall", after=50_000)
    dest = tmp_path / NAME
    assert (
        download_file(url(), dest, sha256=sha256(data), backoff_base=0.01, read_timeout=0.5)
        is Outcome.COMPLETED
    )
    assert dest.read_bytes() == data


def test_resume_existing_part_rehashes_it(data: bytes, fake_hub: FakeHub, tmp_path: Path) -> None:
    dest = tmp_path / NAME
    part_path(dest).write_bytes(data[:300_000])  # left by an earlier run of the app
    assert download_file(url(), dest, sha256=sha256(data), size=len(data)) is Outcome.COMPLETED
    assert dest.read_bytes() == data
    assert fake_hub.file_requests(NAME)[0].get("Range") == "bytes=300000-"


def test_server_ignoring_range_restarts_cleanly(
    data: bytes, fake_hub: FakeHub, tmp_path: Path
) -> None:
    dest = tmp_path / NAME
    part_path(dest).write_bytes(data[:1000])
    fake_hub.fail_next(NAME, "ignore_range")
    assert download_file(url(), dest, sha256=sha256(data)) is Outcome.COMPLETED
    assert dest.read_bytes() == data


def test_wrong_bytes_fail_the_hash_and_leave_nothing(
    data: bytes, fake_hub: FakeHub, tmp_path: Path
) -> None:
    fake_hub.fail_next(NAME, "wrong")
    dest = tmp_path / NAME
    with pytest.raises(HashMismatch, match="checksum does not match"):
        download_file(url(), dest, sha256=sha256(data), size=len(data))
    assert not dest.exists()
    assert not part_path(dest).exists()


def test_missing_file_is_a_clear_error(data: bytes, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="404"):
        download_file(
            hub.file_url(REPO, "nope.gguf"),
            tmp_path / "nope.gguf",
            backoff_base=0.01,
            read_timeout=1.0,
        )


def test_retries_run_out_with_a_sentence(data: bytes, fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.fail_next(NAME, "500", times=10)
    with pytest.raises(DownloadError, match="kept failing"):
        download_file(url(), tmp_path / NAME, max_retries=2, backoff_base=0.01, read_timeout=1.0)


def test_stop_event_keeps_the_part(data: bytes, fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.throttle_s = 0.02
    stop = threading.Event()
    dest = tmp_path / NAME

    def stop_soon(p: Progress) -> None:
        stop.set()

    outcome = download_file(url(), dest, sha256=sha256(data), stop=stop, on_progress=stop_soon)
    assert outcome is Outcome.STOPPED
    assert 0 < part_path(dest).stat().st_size < len(data)
    fake_hub.throttle_s = 0.0
    assert download_file(url(), dest, sha256=sha256(data)) is Outcome.COMPLETED
    assert dest.read_bytes() == data


def test_not_enough_disk_space_is_refused_up_front(data: bytes, tmp_path: Path) -> None:
    with pytest.raises(DiskFull, match="free disk space"):
        download_file(url(), tmp_path / NAME, size=1 << 60)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_stops_cleanly(data: bytes, tmp_path: Path) -> None:
    dest = tmp_path / NAME
    part_path(dest).symlink_to("/dev/full")  # every write fails with ENOSPC
    with pytest.raises(DiskFull, match="disk is full"):
        download_file(url(), dest, size=len(data))
    assert part_path(dest).is_symlink()


@pytest.mark.parametrize(
    "name",
    [
        "../evil.gguf",
        "a/../../evil.gguf",
        "/etc/passwd",
        "\\\\server\\share\\x.gguf",
        "C:\\Windows\\x.gguf",
        "..",
        "",
        "bad\x00name.gguf",
        "x.gguf.part",
        ".hidden.gguf",
    ],
)
def test_hostile_file_names_are_refused(name: str) -> None:
    with pytest.raises(UnsafeFileName, match="refused"):
        safe_target(paths.models_dir(), name)


def test_subfolder_names_land_in_the_models_folder() -> None:
    target = safe_target(paths.models_dir(), "Q4_K_M/model-00001-of-00002.gguf")
    assert target == paths.models_dir().resolve() / "model-00001-of-00002.gguf"
