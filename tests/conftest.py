"""Shared fixtures: an isolated app home, no network but loopback, and the real starter models."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ipaddress
import socket
import sys
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


@pytest.fixture(autouse=True)
def no_dangling_engine_thread():
    """DESIGN.md rule 7: nothing may leave an engine thread running behind it."""
    yield
    client_module = sys.modules.get("desktop_chat.engine.client")
    if client_module is not None:
        assert client_module.running_engine_threads() == 0, "an EngineClient was not shut down"
    indexer_module = sys.modules.get("desktop_chat.ui.knowledge.indexer")
    if indexer_module is not None:
        assert indexer_module.running_indexer_threads() == 0, "a KbIndexer was not shut down"
