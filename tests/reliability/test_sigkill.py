"""SIGKILL at random (seeded) moments of 20 streamed answers through the window and 20 through
`desktop-chat chat`, all in one home: no conversation is ever lost, the database stays sound,
and what is saved is a prefix of what streamed, never more than ~1 s behind it."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_chat.store import open_store
from tests.commands.streaming import Watched, child_env, integrity, spawn_chat
from tests.ui.chat.test_crash_safety import DRIVER, MARK

RUNS = 20
SEED = 20_17
# Slack on top of the writer's half-second interval for a loaded 2-core machine.
SAVED_WITHIN_S = 1.5


@dataclass(frozen=True)
class Snapshot:
    """What the database held after one kill: each conversation's messages, in order."""

    threads: dict[int, list[tuple[str, str, bool]]]


def _snapshot(home: Path) -> Snapshot:
    database = home / "data" / "conversations.sqlite3"
    if not database.exists():
        return Snapshot({})
    assert integrity(database) == "ok"
    store, notice = open_store(database)
    try:
        assert notice is None, notice  # never "could not be read, a new one was started"
        return Snapshot(
            {
                c.id: [(m.role, m.content, m.complete) for m in store.active_thread(c.id)]
                for c in store.list_conversations()
            }
        )
    finally:
        store.close()


def _kill_at_random(watched: Watched, rng: random.Random, first_answer_byte: int = 1) -> float:
    """Kill now-ish: mostly while it streams, sometimes while it is still starting up."""
    if rng.random() < 0.15:
        time.sleep(rng.uniform(0.0, 1.5))
    else:
        watched.wait_for(min_bytes=first_answer_byte)
        end = time.monotonic() + rng.uniform(0.0, 2.5)
        while time.monotonic() < end and watched.process.poll() is None:
            watched.poll()
            time.sleep(0.01)
    watched.process.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    watched.finish(timeout=60)
    return killed_at


def _nothing_lost(before: Snapshot, after: Snapshot) -> list[int]:
    """Earlier conversations are all there, each holding at least what it held; the new ids."""
    for cid, thread in before.threads.items():
        assert cid in after.threads, f"conversation {cid} was lost"
        now = after.threads[cid]
        assert now[: len(thread)] == thread, f"conversation {cid} changed after a later kill"
    return sorted(set(after.threads) - set(before.threads))


def _check_answer(
    saved: tuple[str, str, bool], streamed: bytes, watched: Watched, start: int, killed_at: float
) -> None:
    role, content, complete = saved
    assert role == "assistant"
    text = streamed.decode("utf-8", "replace")
    assert text.startswith(content), "the saved answer is not what streamed"
    if not complete:
        behind = watched.shown_before(killed_at - SAVED_WITHIN_S) - start
        assert len(content.encode()) >= behind, "the saved answer fell more than ~1 s behind"


def _turn_starts(shown: bytes) -> list[int]:
    starts, at = [], shown.find(MARK)
    while at >= 0:
        starts.append(at + len(MARK))
        at = shown.find(MARK, at + len(MARK))
    return starts


def test_sigkill_through_the_cli(app_home: Path, smollm_path: Path) -> None:
    rng = random.Random(SEED)
    before = _snapshot(app_home)
    mid_stream = 0
    for _ in range(RUNS):
        watched = Watched(spawn_chat(app_home, "--model", str(smollm_path), max_tokens=300))
        killed_at = _kill_at_random(watched, rng)
        after = _snapshot(app_home)
        new = _nothing_lost(before, after)
        assert len(new) <= 1
        if watched.shown:
            mid_stream += 1
            assert new, "an answer streamed but its conversation was not kept"
        if new:
            thread = after.threads[new[0]]
            assert thread[0][0] == "user"
            if len(thread) > 1:
                _check_answer(thread[1], watched.shown, watched, 0, killed_at)
        before = after
    assert mid_stream >= RUNS // 2, f"only {mid_stream} of {RUNS} kills landed mid-answer"


def test_sigkill_through_the_window(app_home: Path, tmp_path: Path, smollm_path: Path) -> None:
    rng = random.Random(SEED + 1)
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    before = _snapshot(app_home)
    mid_stream = 0
    for _ in range(RUNS):
        process = subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_env(app_home), bufsize=0,
        )  # fmt: skip
        watched = Watched(process)
        killed_at = _kill_at_random(watched, rng, first_answer_byte=len(MARK) + 1)
        after = _snapshot(app_home)
        new = _nothing_lost(before, after)
        assert len(new) <= 1
        if watched.shown.replace(MARK, b""):
            mid_stream += 1
            assert new, "an answer streamed but its conversation was not kept"
        if new:
            thread = after.threads[new[0]]
            answers = [m for m in thread if m[0] == "assistant"]
            # Turn i printed MARK, then its answer: the i-th saved answer is that segment's.
            starts = _turn_starts(watched.shown)
            assert len(answers) <= len(starts)
            assert all(m[2] for m in answers[:-1]), "an earlier, finished answer is incomplete"
            for answer, start in zip(answers, starts, strict=False):
                end = watched.shown.find(MARK, start)
                segment = watched.shown[start : end if end >= 0 else None]
                _check_answer(answer, segment, watched, start, killed_at)
        before = after
    assert mid_stream >= RUNS // 2, f"only {mid_stream} of {RUNS} kills landed mid-answer"
