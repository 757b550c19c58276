"""One window per data folder: a second launch hands its files to the first and exits."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop_chat import paths
from desktop_chat.fsutil import load_json_bounded

log = logging.getLogger(__name__)

# The second launch gives up on a first one that does not answer in this time and opens a
# window of its own (the first is hung, or it is a stale socket no one listens on).
HANDOFF_TIMEOUT_MS = 1500
MAX_MESSAGE_BYTES = 64 * 1024


def server_name() -> str:
    """A name per user and data folder: two homes (tests, DESKTOP_CHAT_HOME) run side by side."""
    folder = str(paths.data_dir().resolve())
    digest = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"desktop-chat-{uid}-{digest}"


def _message(files: Sequence[str]) -> bytes:
    # Absolute paths: the running window's working folder is not this launch's.
    absolute = [str(Path(f).expanduser().absolute()) for f in files]
    return json.dumps({"open": absolute}).encode("utf-8") + b"\n"


def hand_off(files: Sequence[str] = (), timeout_ms: int = HANDOFF_TIMEOUT_MS) -> bool:
    """Give ``files`` to the window already running on this data folder; False when none is.

    Needs no QCoreApplication: it uses the socket's blocking calls, before any app exists.
    """
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        socket.write(_message(files))
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        # The first answers once it has the request: then it is alive and this launch may go.
        while b"\n" not in bytes(socket.peek(16).data()):
            if not socket.waitForReadyRead(timeout_ms):
                return False
        return bytes(socket.readLine().data()).strip() == b"ok"
    finally:
        socket.disconnectFromServer()


class SingleInstance(QObject):
    """The running window's end: ``open_requested`` carries each later launch's files."""

    open_requested = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # No socket options: with them Qt renames its socket over an existing one, so a
        # second window would take the name from a live first; the file is made private
        # after listen() instead.
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start answering later launches; False when another live window already does.

        A socket file a crashed window left behind answers no one: it is removed, never a
        live one (that would give two windows on one store).
        """
        name = server_name()
        if self._listen(name):
            return True
        probe = QLocalSocket()
        probe.connectToServer(name)
        if probe.waitForConnected(HANDOFF_TIMEOUT_MS):
            probe.disconnectFromServer()
            return False
        log.info("removing the stale single-instance socket %s", name)
        QLocalServer.removeServer(name)
        if self._listen(name):
            return True
        log.warning("single instance: cannot listen on %s: %s", name, self.server.errorString())
        return True  # no server, but this window still runs: it is the only one we know of

    def _listen(self, name: str) -> bool:
        if not self.server.listen(name):
            return False
        with contextlib.suppress(OSError):  # e.g. a platform without a socket file
            os.chmod(self.server.fullServerName(), stat.S_IRUSR | stat.S_IWUSR)
        return True

    def close(self) -> None:
        self.server.close()

    @Slot()
    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE_BYTES:
            log.warning("single instance: an oversized request was dropped")
            socket.abort()
            return
        self._buffers[socket] = data
        if b"\n" not in data:
            return
        line = data.split(b"\n", 1)[0]
        try:
            request = load_json_bounded(line, max_depth=4)
            files = request.get("open", []) if isinstance(request, dict) else []
            files = [str(f) for f in files if isinstance(f, str)]
        except ValueError:
            log.warning("single instance: a request that is not JSON was dropped")
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        log.info("another launch asked to open %s", files or "the window")
        self.open_requested.emit(files)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
