"""Crash safety: a writer killed mid-stream leaves a sound database holding what it saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from desktop_chat import paths
from desktop_chat.store import open_store
from tests.store.crash_writer import database_problems

ROOT = Path(__file__).resolve().parents[2]


def test_fresh_and_used_databases_pass_the_checks() -> None:
    store, _ = open_store()
    chat = store.create_conversation("x")
    store.add_message(chat.id, "user", "hello 你好")
    assert store.integrity_problems() == []
    store.close()
    assert database_problems(paths.database_file()) == []


def test_killed_while_streaming_keeps_every_saved_write(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", "stream", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    try:
        message_id = int(child.stdout.readline().split()[1])
        saved = 0
        for _ in range(20):
            saved = int(child.stdout.readline().split()[1])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()

    assert database_problems(path) == []
    store, notice = open_store(path)
    assert notice is None
    answer = store.get_message(message_id)
    assert len(answer.content) >= saved and not answer.complete
    assert store.integrity_problems() == []
    store.close()
