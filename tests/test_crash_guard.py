"""Crash guard: uncaught errors of the main thread and of other threads are logged and reported."""

from __future__ import annotations

import faulthandler
import sys
import threading
from pathlib import Path

from desktop_chat import crash_guard


def test_main_and_thread_errors_reach_the_reporter(tmp_path: Path) -> None:
    seen: list[str] = []
    guard = crash_guard.CrashGuard(seen.append, tmp_path / "fault.log").install()
    try:
        try:
            raise ValueError("boom in main")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # what Python / PySide call for an uncaught error

        def fail() -> None:
            raise RuntimeError("boom in thread")

        thread = threading.Thread(target=fail, name="worker-x")
        thread.start()
        thread.join()
    finally:
        guard.uninstall()
    assert "ValueError: boom in main" in seen[0]
    assert "thread worker-x" in seen[1] and "RuntimeError: boom in thread" in seen[1]


def test_uninstall_restores_the_hooks_and_removes_an_empty_fault_file(tmp_path: Path) -> None:
    before = sys.excepthook, threading.excepthook, faulthandler.is_enabled()
    guard = crash_guard.CrashGuard(None, tmp_path / "fault.log").install()
    assert (tmp_path / "fault.log").exists()
    assert sys.excepthook != before[0]
    guard.uninstall()
    assert (sys.excepthook, threading.excepthook, faulthandler.is_enabled()) == before
    assert not (tmp_path / "fault.log").exists()


def test_a_previous_native_crash_is_told_once_and_renamed(app_home: Path) -> None:
    assert crash_guard.take_previous_native_crash() is None
    crash_file = crash_guard.native_crash_file()
    crash_file.write_text("Fatal Python error: Segmentation fault\n")
    seen = crash_guard.take_previous_native_crash()
    assert seen is not None and seen.read_text().startswith("Fatal Python error")
    assert not crash_file.exists()
    assert crash_guard.take_previous_native_crash() is None


def test_a_real_native_crash_leaves_the_file(app_home: Path) -> None:
    import subprocess

    script = (
        "import ctypes\n"
        "from desktop_chat import crash_guard\n"
        "crash_guard.CrashGuard().install()\n"
        "ctypes.string_at(0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode != 0
    text = crash_guard.native_crash_file().read_text()
    assert "Segmentation fault" in text
    assert crash_guard.take_previous_native_crash() is not None
