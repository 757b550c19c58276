"""100 randomized download faults through the real queue: every file verified or resumable.

The fake Hub serves small real GGUF files and, per request, one of its faults (drops, stalls,
5xx, 429, 404, wrong or corrupted bytes, ignored or lying Range answers, wrong lengths); a
few jobs also meet a disk with too little room. Whatever happens, a file in the models folder
is exactly the published one (sha256), a failed job keeps nothing but a .part, the library
never lists a damaged model as usable, and the queue still downloads cleanly at the end.
Seeded: a failure names the file and its faults, and reproduces.
"""

from __future__ import annotations

import collections
import hashlib
import random
import shutil

import pytest

from desktop_chat import paths
from desktop_chat.models import hub, library
from desktop_chat.models.download import part_path
from desktop_chat.models.download_queue import DownloadQueue, JobState
from tests.fakes.fake_hub import FakeHub, payload, sha256
from tests.models.gguf_factory import minimal_kvs, raw_gguf, tensor_info

SEED = 1717
REPO = "org/faulty-GGUF"
TOTAL_FAULTS = 100
FILES = 30
# Every fault the fake Hub knows, and "disk" (too little free space when the job starts).
KINDS = (
    "drop", "stall", "500", "503", "429", "404", "wrong", "corrupt", "ignore_range",
    "bad_range", "bad_total", "short_length", "disk",
)  # fmt: skip
OPTIONS = {"read_timeout": 0.5, "backoff_base": 0.005, "max_retries": 4}


def model_bytes(index: int, rng: random.Random) -> bytes:
    """A real, loadable-looking GGUF of a few hundred KB, different for every index."""
    n = rng.randrange(40_000, 100_000) // 8 * 8
    data = payload(n * 4, seed=index)
    return raw_gguf(minimal_kvs(), [tensor_info("token_embd.weight", (n,))], data=data)


def plan(rng: random.Random) -> list[list[str]]:
    """TOTAL_FAULTS faults spread over FILES files, one to seven each (some files get none)."""
    faults = [rng.choice(KINDS) for _ in range(TOTAL_FAULTS)]
    per_file: list[list[str]] = [[] for _ in range(FILES)]
    while faults:
        target = per_file[rng.randrange(FILES)]
        take = rng.randint(1, 7)
        target.extend(faults[:take])
        del faults[:take]
    return per_file


@pytest.fixture
def low_disk(monkeypatch: pytest.MonkeyPatch):
    """Switchable: while on, the disk reports 1 MB free, below the downloader's margin."""
    real = shutil.disk_usage
    state = {"on": False}

    def usage(path):  # type: ignore[no-untyped-def]
        found = real(path)
        return found._replace(free=1_000_000) if state["on"] else found

    monkeypatch.setattr(shutil, "disk_usage", usage)
    return state


def _check_models_folder(expected: dict[str, bytes]) -> list[str]:
    """Every file the models folder holds is complete and exact, or a .part prefix-or-not."""
    problems = []
    for path in sorted(paths.models_dir().iterdir()):
        if path.name.endswith(".part"):
            continue
        want = expected.get(path.name)
        if want is None or hashlib.sha256(path.read_bytes()).hexdigest() != sha256(want):
            problems.append(f"{path.name}: in the models folder but not the published file")
    return problems


def test_a_hundred_faults_leave_every_file_verified_or_resumable(
    fake_hub: FakeHub, low_disk: dict[str, bool]
) -> None:
    rng = random.Random(SEED)
    files = {f"m{i:02d}-Q4_0.gguf": model_bytes(i, rng) for i in range(FILES)}
    fake_hub.add_repo(REPO, files)
    faults = plan(rng)
    assert sum(len(f) for f in faults) == TOTAL_FAULTS
    queue = DownloadQueue(download_options=dict(OPTIONS))
    queue.start()
    outcomes: collections.Counter[str] = collections.Counter()
    problems: list[str] = []
    try:
        job_ids = {}
        for (name, data), kinds in zip(files.items(), faults, strict=True):
            for kind in kinds:
                if kind != "disk":
                    fake_hub.fail_next(name, kind, after=rng.randrange(1, len(data)))
            low_disk["on"] = "disk" in kinds
            job_ids[name] = queue.add(
                hub.file_url(REPO, name), name, sha256=sha256(data), size=len(data)
            )
            assert queue.wait_idle(120), f"{name} ({kinds}) never ended: {queue.get(job_ids[name])}"
            low_disk["on"] = False
            job = queue.get(job_ids[name])
            assert job is not None
            outcomes[job.state] += 1
            dest = paths.models_dir() / name
            if job.state is JobState.DONE:
                if dest.read_bytes() != data or part_path(dest).exists():
                    problems.append(f"{name} ({kinds}): done but not exact")
            elif job.state is JobState.FAILED:
                if dest.exists():
                    problems.append(f"{name} ({kinds}): failed, yet a file is in place")
                if not job.error or not job.error.endswith("."):
                    problems.append(f"{name} ({kinds}): failed without a sentence: {job.error}")
                served_wrong = {"wrong", "corrupt"} & set(kinds)
                if "checksum" in (job.error or "") and not served_wrong:
                    # Only wrong bytes from the server may spoil a file, never a retry.
                    problems.append(f"{name} ({kinds}): the download itself spoiled the file")
            else:
                problems.append(f"{name} ({kinds}): ended {job.state}")
            problems += _check_models_folder(files)
            if problems:
                break  # the first failure, with its faults named, is the useful one
        assert not problems, "\n".join(problems)
        assert outcomes[JobState.FAILED] > 0 and outcomes[JobState.DONE] > 0, outcomes

        # Nothing damaged is offered as a model; the failed ones are only .part files.
        usable = {e.path.name for e in library.scan(include_starter=False) if e.ok}
        done = {n for n, i in job_ids.items() if queue.get(i).state is JobState.DONE}  # type: ignore[union-attr]
        assert usable == done

        # Resumable: with the faults gone, every failed job completes from what it kept.
        fake_hub.faults.clear()  # a job that failed early leaves some of its faults unused
        for _ in range(3):
            failed = [i for i in job_ids.values() if queue.get(i).state is JobState.FAILED]  # type: ignore[union-attr]
            for job_id in failed:
                queue.resume(job_id)
            assert queue.wait_idle(120)
        left = [queue.get(i) for i in job_ids.values()]
        assert all(j.state is JobState.DONE for j in left), [j for j in left if j.state != "done"]  # type: ignore[union-attr]
        assert not _check_models_folder(files)
        assert not list(paths.models_dir().glob("*.part"))

        # The queue is alive: one more clean download after all of that.
        extra = model_bytes(FILES, rng)
        fake_hub.repos[REPO].files["fresh-Q8_0.gguf"] = extra
        fresh = queue.add(
            hub.file_url(REPO, "fresh-Q8_0.gguf"),
            "fresh-Q8_0.gguf",
            sha256=sha256(extra),
            size=len(extra),
        )
        assert queue.wait_idle(60)
        assert queue.get(fresh).state is JobState.DONE  # type: ignore[union-attr]
        assert (paths.models_dir() / "fresh-Q8_0.gguf").read_bytes() == extra
    finally:
        fake_hub.release.set()  # let stalled handlers go
        assert queue.shutdown(10) is not False


def test_a_resumed_part_is_always_a_prefix_of_the_file(fake_hub: FakeHub) -> None:
    """Drops, stalls and 5xx at random offsets never leave a .part that is not the file's
    own beginning: resuming appends to good bytes only."""
    rng = random.Random(SEED + 1)
    data = model_bytes(99, rng)
    name = "prefix-Q4_0.gguf"
    fake_hub.add_repo(REPO, {name: data})
    queue = DownloadQueue(download_options={**OPTIONS, "max_retries": 1})
    queue.start()
    try:
        job_id = None
        for _ in range(12):
            kind = rng.choice(("drop", "stall", "503", "bad_total", "short_length"))
            fake_hub.fail_next(name, kind, after=rng.randrange(1, len(data)), times=2)
            if job_id is None:
                job_id = queue.add(
                    hub.file_url(REPO, name), name, sha256=sha256(data), size=len(data)
                )
            else:
                queue.resume(job_id)
            assert queue.wait_idle(60)
            part = part_path(paths.models_dir() / name)
            if part.exists():
                kept = part.read_bytes()
                assert data.startswith(kept), (kind, len(kept))
            job = queue.get(job_id)
            assert job is not None
            if job.state is JobState.DONE:
                break
            fake_hub.faults.clear()
        assert job_id is not None
        queue.resume(job_id)
        assert queue.wait_idle(60)
        assert (paths.models_dir() / name).read_bytes() == data
    finally:
        fake_hub.release.set()
        queue.shutdown(10)
