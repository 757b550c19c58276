"""A fake Hugging Face Hub on 127.0.0.1 that serves search, trees, files with Range, and faults."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PAGE_SIZE = 2  # tiny pages so that pagination through Link headers is exercised
STALL_LIMIT_S = 20.0


@dataclass
class FakeRepo:
    repo_id: str
    files: dict[str, bytes]
    downloads: int = 0
    likes: int = 0
    gated: bool = False
    tags: list[str] = field(default_factory=lambda: ["gguf"])


@dataclass
class Fault:
    """What the next download of a file does wrong.

    kind: "drop" (close after ``after`` bytes), "404", any other HTTP status as digits ("500",
    "503", "429"), "stall" (send ``after`` bytes, then nothing), "wrong" (flip the first 64
    bytes), "corrupt" (flip the byte at offset ``after``), "ignore_range" (answer 200 from the
    start), "bad_range" (a 206 whose Content-Range starts ``after`` bytes off), "bad_total" (a
    Content-Range or Content-Length that claims 1,000 bytes more than the file), "short_length"
    (a Content-Length of ``after`` bytes, and only those bytes sent).
    """

    kind: str
    after: int = 0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload(size: int, seed: int = 1) -> bytes:
    """Deterministic, incompressible-looking bytes for a fake model file."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


class _Server(ThreadingHTTPServer):
    """Tracks open connections so ``stop`` can end their handler threads: a client's
    connection pool keeps idle keep-alive connections open, each with a thread waiting."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.stopping = False

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def close_connections(self) -> None:
        self.stopping = True
        with self._open_lock:
            open_now = list(self._open)
        for request in open_now:
            with contextlib.suppress(OSError):  # already closed by the client
                request.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not self.stopping:  # a connection cut by stop() is expected, not worth a trace
            super().handle_error(request, client_address)


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.release = threading.Event()
        self.throttle_s = 0.0  # sleep between 64 KiB slices, so pause/cancel can land mid-file
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(5)

    def add_repo(self, repo_id: str, files: dict[str, bytes], **extra: object) -> FakeRepo:
        repo = FakeRepo(repo_id, dict(files), **extra)  # type: ignore[arg-type]
        self.repos[repo_id] = repo
        return repo

    def fail_next(self, filename: str, kind: str, after: int = 0, times: int = 1) -> None:
        with self._lock:
            self.faults.setdefault(filename, []).extend(Fault(kind, after) for _ in range(times))

    def take_fault(self, filename: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(filename)
            return queue.pop(0) if queue else None

    def file_requests(self, filename: str) -> list[dict[str, str]]:
        return [
            h for method, path, h in self.requests if method == "GET" and path.endswith(filename)
        ]


def _make_handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
            pass

        def do_HEAD(self) -> None:
            self._route(head=True)

        def do_GET(self) -> None:
            self._route(head=False)

        def _route(self, head: bool) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            hub.requests.append((self.command, url.path, dict(self.headers.items())))
            path = urllib.parse.unquote(url.path)
            try:
                if path == "/api/models":
                    self._search(query, head)
                elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/([^/]+)(/.*)?", path):
                    self._tree(m[1], query)
                elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/[^/]+)?", path):
                    self._info(m[1])
                elif m := re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
                    self._file(m[1], m[3], head)
                else:
                    self._json({"error": "not found"}, 404)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _json(
            self, body: object, status: int = 200, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _repo_or_404(self, repo_id: str) -> FakeRepo | None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                self._json({"error": "Repository not found"}, 404, {"X-Error-Code": "RepoNotFound"})
                return None
            gated_ok = self.headers.get("Authorization") == "Bearer good-token"
            if repo.gated and not gated_ok:
                self._json(
                    {"error": "Access to this repo is restricted"},
                    401,
                    {"X-Error-Code": "GatedRepo"},
                )
                return None
            return repo

        def _search(self, query: dict[str, list[str]], head: bool) -> None:
            text = (query.get("search") or [""])[0].lower()
            wanted = query.get("filter") or []
            found = [
                r
                for r in hub.repos.values()
                if text in r.repo_id.lower() and all(tag in r.tags for tag in wanted)
            ]
            if (query.get("sort") or [""])[0] == "downloads":
                found.sort(key=lambda r: -r.downloads)
            start = int((query.get("cursor") or ["0"])[0])
            page = found[start : start + PAGE_SIZE]
            headers = {}
            if start + PAGE_SIZE < len(found):
                params = {k: v for k, v in query.items() if k != "cursor"}
                params["cursor"] = [str(start + PAGE_SIZE)]
                next_url = f"{hub.url}/api/models?{urllib.parse.urlencode(params, doseq=True)}"
                headers["Link"] = f'<{next_url}>; rel="next"'
            body = [
                {
                    "id": r.repo_id,
                    "_id": r.repo_id,
                    "downloads": r.downloads,
                    "likes": r.likes,
                    "gated": r.gated,
                    "private": False,
                    "tags": r.tags,
                    "lastModified": "2025-01-01T00:00:00.000Z",
                }
                for r in page
            ]
            self._json(body, headers=headers)

        def _tree(self, repo_id: str, query: dict[str, list[str]]) -> None:
            repo = self._repo_or_404(repo_id)
            if repo is None:
                return
            entries: list[dict[str, object]] = []
            folders = sorted({p.rsplit("/", 1)[0] for p in repo.files if "/" in p})
            for folder in folders:
                entries.append({"type": "directory", "oid": "0" * 40, "path": folder})
            for path, data in sorted(repo.files.items()):
                entry: dict[str, object] = {
                    "type": "file",
                    "oid": hashlib.sha1(data).hexdigest(),
                    "size": len(data),
                    "path": path,
                }
                if path.endswith(".gguf"):
                    entry["lfs"] = {"oid": sha256(data), "size": len(data), "pointerSize": 134}
                entries.append(entry)
            self._json(entries)

        def _info(self, repo_id: str) -> None:
            repo = self._repo_or_404(repo_id)
            if repo is None:
                return
            self._json(
                {
                    "id": repo.repo_id,
                    "_id": repo.repo_id,
                    "sha": "a" * 40,
                    "downloads": repo.downloads,
                    "likes": repo.likes,
                    "gated": repo.gated,
                    "private": False,
                    "tags": repo.tags,
                    "siblings": [{"rfilename": p} for p in sorted(repo.files)],
                }
            )

        def _file(self, repo_id: str, filename: str, head: bool) -> None:
            repo = self._repo_or_404(repo_id)
            if repo is None:
                return
            data = repo.files.get(filename)
            fault = None if head else hub.take_fault(filename.rsplit("/", 1)[-1])
            if data is None or (fault and fault.kind == "404"):
                self._json({"error": "Entry not found"}, 404, {"X-Error-Code": "EntryNotFound"})
                return
            if fault and fault.kind.isdigit():
                self._json({"error": "server trouble"}, int(fault.kind))
                return
            if fault and fault.kind == "wrong":
                data = bytes(b ^ 0xFF for b in data[:64]) + data[64:]
            if fault and fault.kind == "corrupt":
                at = fault.after % len(data)
                data = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :]
            kind = fault.kind if fault else ""
            claimed = len(data) + 1000 if kind == "bad_total" else len(data)
            start = 0
            range_header = self.headers.get("Range")
            honour_range = not (fault and fault.kind == "ignore_range")
            if range_header and honour_range:
                m = re.fullmatch(r"bytes=(\d+)-", range_header.strip())
                start = int(m[1]) if m else 0
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                shown = start + fault.after if kind == "bad_range" else start
                self.send_header("Content-Range", f"bytes {shown}-{len(data) - 1}/{claimed}")
            else:
                self.send_response(200)
            body = data[start:]
            if kind == "short_length":
                body = body[: fault.after]  # type: ignore[union-attr]
            length = len(body) + (1000 if kind == "bad_total" and start == 0 else 0)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("X-Linked-Etag", f'"{sha256(data)}"')
            self.end_headers()
            if head:
                return
            if fault and fault.kind in ("drop", "stall", "bad_total"):
                self.wfile.write(body if fault.kind == "bad_total" else body[: fault.after])
                self.wfile.flush()
                if fault.kind == "stall":
                    hub.release.wait(STALL_LIMIT_S)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            # Send in slices so a client can pause or cancel mid-file.
            for offset in range(0, len(body), 64 * 1024):
                self.wfile.write(body[offset : offset + 64 * 1024])
                if hub.throttle_s:
                    time.sleep(hub.throttle_s)

    return Handler


class SilentPort:
    """A listening socket that accepts connections and never answers: a hung server."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self) -> None:
        self.sock.close()


def closed_port_url() -> str:
    """A loopback URL on which nothing listens: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A running fake Hub; HF_ENDPOINT points at it and offline mode is lifted."""
    hub = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def silent_port() -> Iterator[SilentPort]:
    port = SilentPort()
    try:
        yield port
    finally:
        port.close()
