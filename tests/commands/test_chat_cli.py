"""`desktop-chat chat` saves as it streams and stops cleanly on Ctrl+C: real processes, real model."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop_chat.store import open_store
from tests.commands.streaming import Watched, child_env, integrity, spawn_chat


def _only_answer(home: Path) -> tuple[str, object]:
    store, notice = open_store(home / "data" / "conversations.sqlite3")
    try:
        assert notice is None
        [conversation] = store.list_conversations()
        question, answer = store.active_thread(conversation.id)
        assert question.role == "user" and answer.role == "assistant"
        return conversation.title, answer
    finally:
        store.close()


def test_ctrl_c_mid_stream_keeps_the_partial_answer_marked_stopped(
    app_home: Path, smollm_path: Path
) -> None:
    watched = Watched(spawn_chat(app_home, "--model", str(smollm_path)))
    watched.wait_for(min_bytes=200)
    watched.process.send_signal(signal.SIGINT)
    code = watched.finish()
    stderr = watched.stderr_text()

    assert code == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "stopped" in stderr
    _title, answer = _only_answer(app_home)
    assert answer.stop_reason == "stopped"  # type: ignore[attr-defined]
    content: str = answer.content  # type: ignore[attr-defined]
    # Everything printed is kept, and nothing more: the answer was cut off, not run to the end.
    assert watched.shown.decode("utf-8") == content + "\n"
    assert 200 <= len(content.encode()) < 12_000


def test_sigkill_mid_stream_keeps_what_was_shown(app_home: Path, smollm_path: Path) -> None:
    watched = Watched(spawn_chat(app_home, "--model", str(smollm_path)))
    watched.wait_for(min_bytes=1, streamed_s=3.0)
    watched.process.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    assert watched.finish() == -signal.SIGKILL

    assert integrity(app_home / "data" / "conversations.sqlite3") == "ok"
    title, answer = _only_answer(app_home)
    assert title.startswith("Write a very long story")
    content: str = answer.content  # type: ignore[attr-defined]
    assert not answer.complete  # type: ignore[attr-defined]
    assert watched.shown.decode("utf-8", "replace").startswith(content)
    # Saved at least every half second: what was on screen 1.5 s before the kill is on disk.
    assert len(content.encode()) >= watched.shown_before(killed_at - 1.5) > 0


def test_no_save_keeps_no_conversation(app_home: Path, smollm_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_chat", "chat", "--no-save", "--max-tokens", "16",
         "--model", str(smollm_path), "Say hello."],
        capture_output=True, text=True, env=child_env(app_home), timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    database = app_home / "data" / "conversations.sqlite3"
    if database.exists():
        store, _ = open_store(database)
        try:
            assert store.list_conversations() == []
        finally:
            store.close()
