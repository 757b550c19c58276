"""The headless commands, run as a user would run them: real processes, real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_chat import __version__


def run(args: list[str], home: Path, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKTOP_CHAT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop_chat", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_version(app_home: Path) -> None:
    result = run(["--version"], app_home)
    assert result.returncode == 0
    assert result.stdout.strip() == f"desktop-chat {__version__}"


def test_self_test_prints_one_ok_json_line(app_home: Path) -> None:
    result = run(["--self-test"], app_home)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert report["ok"] is True, report
    assert report["tokens"] >= 16 and report["stopped"] is True
    assert {"model", "ttft_s", "tokens_per_s"} <= report.keys()


def test_chat_streams_to_stdout_and_keeps_files_under_home(app_home: Path) -> None:
    result = run(["chat", "--max-tokens", "16", "--seed", "1", "Say hello."], app_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert (app_home / "logs" / "desktop-chat.log").is_file()


def test_chat_with_a_bad_model_fails_with_a_sentence(app_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "x.gguf"
    bad.write_text("nope")
    result = run(["chat", "--model", str(bad), "hi"], app_home)
    assert result.returncode == 1
    assert "GGUF" in result.stderr and "Traceback" not in result.stderr
