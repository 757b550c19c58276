"""A full session in the real window — start, one chat turn, Settings, Models, Knowledge (create
a knowledge base), export — makes no DNS lookup and opens no connection beyond this machine.

Python's audit hooks see every ``socket.getaddrinfo`` and ``socket.connect``, whoever calls
them; connects the test guard refuses are recorded by a wrapper around it as well.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

WATCHED = frozenset(
    {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.connect"}
)
# Audit hooks cannot be removed: the hook is installed once and records only while this flag
# is set, so other tests in the same process pay one frozenset lookup per audit event.
_recording = False
_hook_installed = False
_events: list[tuple[str, Any]] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _recording and event in WATCHED:
        target = args[1] if event == "socket.connect" else args[0]
        _events.append((event, target))


def _install_hook() -> None:
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_hook)
        _hook_installed = True


def _is_local(event: str, target: Any) -> bool:
    if event == "socket.connect":
        if isinstance(target, (str, bytes)):  # AF_UNIX: a file on this machine
            return True
        host = target[0] if isinstance(target, tuple) and target else target
    else:
        host = target
    if host in (None, "", b"", "localhost", b"localhost"):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch):
    """Record from here to the end of the test; connects the test guard refuses count too."""
    global _recording
    _install_hook()
    _events.clear()
    guarded = socket.socket.connect

    def recording_connect(self: socket.socket, address: object) -> None:
        _events.append(("socket.connect", address))
        return guarded(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    # Offline mode would hide a phone-home done through huggingface_hub: lift it.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    _recording = True
    try:
        yield _events
    finally:
        _recording = False


def test_a_full_session_stays_on_this_machine(qtbot, qapp, recorder, tmp_path: Path) -> None:
    from desktop_chat.app import DesktopChat

    docs = tmp_path / "notes"
    docs.mkdir()
    (docs / "returns.md").write_text("# Returns\n\n## Refunds\n\nRefunds take 5 days.\n")

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        with qtbot.waitSignal(app.client.model_loaded, timeout=180_000):
            app.start()
        with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000):
            app.chat.send_text("Say hello.")

        app.window.show_settings()
        qtbot.wait(200)
        app.window.show_models()
        qtbot.wait(200)

        app.window.show_pane(app.window.stack.indexOf(app.knowledge))
        app.knowledge.ask_folder = lambda: docs
        app.knowledge.ask_name = lambda default: "notes"
        with qtbot.waitSignal(app.knowledge.indexer.finished, timeout=60_000):
            app.knowledge.new_button.click()

        app.window.show_chat()
        assert app.export_conversations("all", tmp_path / "all.json") is not None
        assert app.export_conversations("current", tmp_path / "this.md") is not None
        qtbot.wait(200)
    finally:
        app.window.close()
        app.shutdown()

    seen = list(recorder)
    remote = [(event, target) for event, target in seen if not _is_local(event, target)]
    assert remote == [], f"the session reached beyond this machine: {remote}"


def test_the_audit_sees_a_remote_lookup_and_connect(recorder) -> None:
    """The check above can fail: a numeric lookup and a refused connect are both recorded."""
    socket.getaddrinfo("192.0.2.1", 443)  # TEST-NET-1, numeric: no DNS query leaves
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    remote = [(event, target) for event, target in recorder if not _is_local(event, target)]
    assert ("socket.getaddrinfo", "192.0.2.1") in remote
    assert ("socket.connect", ("192.0.2.1", 443)) in remote
    assert _is_local("socket.connect", ("127.0.0.1", 8080)) and _is_local("socket.connect", "/s")
    assert _is_local("socket.getaddrinfo", "localhost") and not _is_local(
        "socket.connect", ("huggingface.co", 443)
    )
