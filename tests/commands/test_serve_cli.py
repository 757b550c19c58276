"""`desktop-chat serve` as a real child process: prints its URL, answers, stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import openai

from desktop_chat.server import request_log
from tests.commands.streaming import child_env

START_TIMEOUT_S = 180


def _command(smollm: Path) -> list[str]:
    return [sys.executable, "-m", "desktop_chat", "serve", "--model", str(smollm)]


def _spawn(home: Path, smollm: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*_command(smollm), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(home),
        text=True,
    )


def test_serve_answers_and_stops_on_sigterm(app_home: Path, smollm_path: Path) -> None:
    child = _spawn(app_home, smollm_path)
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()  # blocks until the server listens (or exits)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1"), child.stderr
        client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=120)
        answer = client.chat.completions.create(
            model="", messages=[{"role": "user", "content": "Hello"}], max_tokens=8
        )
        assert answer.choices[0].message.content
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    stderr = child.stderr.read() if child.stderr else ""
    assert code == 0, stderr
    assert "stopped" in stderr and "Traceback" not in stderr
    records = request_log.recent(path=app_home / "logs" / request_log.FILE_NAME)
    assert [r["status"] for r in records] == [200]


def test_serve_refuses_a_public_host_without_a_key(app_home: Path, smollm_path: Path) -> None:
    result = subprocess.run(
        [*_command(smollm_path), "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        env=child_env(app_home),
        timeout=120,
    )
    assert result.returncode == 2
    assert "API key" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
