"""One window per data folder, with real processes: a second launch hands over its files and exits."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket

from desktop_chat.models import library
from desktop_chat.ui.shell import single_instance

START_TIMEOUT_S = 180.0


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "DESKTOP_CHAT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def launch(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop_chat", *args],
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run(home: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_chat", *args],
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def listening() -> bool:
    probe = QLocalSocket()
    probe.connectToServer(single_instance.server_name())
    ok = probe.waitForConnected(200)
    probe.abort()
    return ok


def wait_for(condition, timeout_s: float, what: str, first: subprocess.Popen[str]) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        if first.poll() is not None:
            pytest.fail(f"the first window exited while waiting for {what}: {first.stdout.read()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def stop(first: subprocess.Popen[str]) -> str:
    first.send_signal(signal.SIGTERM)
    try:
        output, _ = first.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        first.kill()
        output, _ = first.communicate()
        pytest.fail(f"the first window did not quit on SIGTERM: {output}")
    assert first.returncode == 0, output
    return output


def test_a_second_launch_hands_its_model_to_the_first_and_exits(
    app_home: Path, smollm_path: Path, tmp_path: Path
) -> None:
    model = tmp_path / "handed-over.gguf"
    try:  # a file of its own name (a symlink would resolve to the starter's)
        os.link(smollm_path, model)
    except OSError:
        shutil.copyfile(smollm_path, model)
    first = launch(app_home)
    try:
        wait_for(listening, START_TIMEOUT_S, "the first window to listen", first)
        started = time.monotonic()
        second = run(app_home, str(model), timeout=60)
        took = time.monotonic() - started
        assert second.returncode == 0, second.stdout + second.stderr
        assert first.poll() is None
        wanted = model.absolute()

        def registered() -> bool:
            return any(p.name == wanted.name for p in library.registered_paths())

        wait_for(registered, 60, "the model to be registered by the first window", first)
        # A plain second launch only raises the window; a subcommand runs beside it.
        assert run(app_home, timeout=60).returncode == 0
        listed = run(app_home, "models", "list")
        assert listed.returncode == 0 and "handed-over" in listed.stdout, listed.stderr
        assert first.poll() is None
    finally:
        if first.poll() is None:
            output = stop(first)
    assert "Traceback" not in output
    assert "another launch asked to open" in (app_home / "logs" / "desktop-chat.log").read_text()
    assert took < 30  # generous for a loaded machine; a hang would take the 60 s timeout
    assert not listening()


def test_other_data_folders_get_their_own_window(app_home: Path, tmp_path: Path) -> None:
    name = single_instance.server_name()
    os.environ["DESKTOP_CHAT_HOME"] = str(tmp_path / "other")
    try:
        assert single_instance.server_name() != name
    finally:
        os.environ["DESKTOP_CHAT_HOME"] = str(app_home)


def test_a_stale_socket_left_by_a_crash_is_replaced(qapp, app_home: Path) -> None:
    path = Path(QDir.tempPath()) / single_instance.server_name()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, with no one listening: what SIGKILL leaves
    assert path.exists()
    instance = single_instance.SingleInstance()
    try:
        assert instance.listen()
        assert listening()
    finally:
        instance.close()


def test_a_live_window_is_never_replaced(qapp, app_home: Path) -> None:
    first = single_instance.SingleInstance()
    second = single_instance.SingleInstance()
    try:
        assert first.listen()
        assert not second.listen()
        assert listening()
    finally:
        first.close()
        second.close()


def test_no_window_means_no_hand_off(app_home: Path) -> None:
    assert single_instance.hand_off(["x.gguf"]) is False
