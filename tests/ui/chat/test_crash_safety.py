"""A real app process killed with SIGKILL mid-answer loses no conversation and little text."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from desktop_chat.store import open_store

MARK = b"\n<<turn>>\n"
DRIVER = textwrap.dedent(
    """
    import sys, time
    MARK = "\\n<<turn>>\\n"
    from PySide6.QtCore import QTimer
    from desktop_chat.app import DesktopChat, ensure_qapp
    from desktop_chat import settings as s
    from desktop_chat.models import starter
    qapp = ensure_qapp()
    app = DesktopChat(qapp)
    app.settings = s.with_value(app.settings, "generation.max_tokens", 2000)
    app.client.chunk.connect(lambda _i, text: (sys.stdout.write(text), sys.stdout.flush()))

    def next_turn(*_args):
        # Always keep an answer streaming, however fast the machine finishes one.
        sys.stdout.write(MARK)
        sys.stdout.flush()
        app.chat.send_text("Write a very long story.")

    app.client.model_loaded.connect(next_turn)
    app.chat.turn_finished.connect(next_turn)
    app.load_model(starter.smollm2_path())
    qapp.exec()
    """
)


def test_sigkill_mid_stream_keeps_the_conversation(app_home: Path, tmp_path: Path) -> None:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    env = {**os.environ, "DESKTOP_CHAT_HOME": str(app_home), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, env=env, bufsize=0
    )
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    shown = b""
    arrivals: list[tuple[float, int]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        chunk = process.stdout.read() or b""
        if chunk:
            shown += chunk
            arrivals.append((time.monotonic(), len(shown)))
        if arrivals and time.monotonic() - arrivals[0][0] > 3.0:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed_at = time.monotonic()
    shown += process.stdout.read() or b""
    assert arrivals, "the app never streamed"

    database = app_home / "data" / "conversations.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store, notice = open_store()
    try:
        assert notice is None
        [conversation] = store.list_conversations()
        thread = store.active_thread(conversation.id)
        assert thread[-1].role == "assistant"
        assert all(m.complete for m in thread[:-1])
        answer = thread[-1]
        assert not answer.complete  # marked as cut off, not passed off as finished
        last_turn_starts = shown.rfind(MARK) + len(MARK)
        text = shown[last_turn_starts:].decode("utf-8", "replace")
        assert text.startswith(answer.content)
        # What was on screen a second (plus a little slack) before the kill is on disk.
        second_before = max(
            (n - last_turn_starts for t, n in arrivals if t <= killed_at - 1.5), default=0
        )
        assert len(answer.content.encode()) >= second_before
    finally:
        store.close()
