"""Run a streaming child process and watch what it printed, and when, before it is signalled."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LONG_PROMPT = "Write a very long story about a dragon, in many chapters."


def child_env(home: Path) -> dict[str, str]:
    return {**os.environ, "DESKTOP_CHAT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def run_chat(home: Path, *args: str, timeout: float = 400) -> subprocess.CompletedProcess[str]:
    """`desktop-chat chat ARGS` to the end, its output captured; no one at the terminal."""
    return subprocess.run(
        [sys.executable, "-m", "desktop_chat", "chat", *args],
        capture_output=True,
        text=True,
        env=child_env(home),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def spawn_chat(home: Path, *extra: str, max_tokens: int = 4000) -> subprocess.Popen[bytes]:
    """`desktop-chat chat` with a long answer (seed 1 writes ~16 KB with the starter model)."""
    command = [sys.executable, "-m", "desktop_chat", "chat", "--max-tokens", str(max_tokens)]
    command += ["--seed", "1", *extra, LONG_PROMPT]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(home),
        bufsize=0,
    )


@dataclass
class Watched:
    """Bytes read from a child's stdout and (time, total length) at each arrival."""

    process: subprocess.Popen[bytes]
    shown: bytes = b""
    arrivals: list[tuple[float, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        assert self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), False)

    def poll(self) -> None:
        assert self.process.stdout is not None
        chunk = self.process.stdout.read() or b""
        if chunk:
            self.shown += chunk
            self.arrivals.append((time.monotonic(), len(self.shown)))

    def wait_for(self, min_bytes: int = 1, streamed_s: float = 0.0, timeout: float = 180) -> None:
        """Until ``min_bytes`` arrived and output has been flowing ``streamed_s`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll()
            if (
                len(self.shown) >= min_bytes
                and self.arrivals
                and time.monotonic() - self.arrivals[0][0] >= streamed_s
            ):
                return
            if self.process.poll() is not None:
                self.poll()
                raise AssertionError(f"the child ended first: {self.stderr_text()}")
            time.sleep(0.01)
        raise AssertionError("the child did not stream in time")

    def shown_before(self, moment: float) -> int:
        """How many bytes had been read by ``moment``."""
        return max((n for t, n in self.arrivals if t <= moment), default=0)

    def finish(self, timeout: float = 60) -> int:
        """Wait for the exit, read the rest of stdout; the exit code."""
        code = self.process.wait(timeout=timeout)
        self.poll()
        return code

    def stderr_text(self) -> str:
        assert self.process.stderr is not None
        try:
            return self.process.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""


def integrity(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
