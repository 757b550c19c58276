"""The hostile-content corpus: text that tries to make the app read, fetch, freeze or crash.

Every piece goes through the real message view and transcript (finished and streamed, as an
answer and as a question), and a few through the real window as stored chats, titles and a
typed question. Files the text names live in a watched folder: Linux inotify reports every
open of them, from Python or from Qt's C++ alike, so "0 resources loaded" is checked at the
source. A FIFO among them keeps a writer waiting, so that a reader that should never come
would not hang the test. Remote images point at a loopback server that counts requests.
"""

from __future__ import annotations

import ctypes
import http.server
import os
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import QLabel

from desktop_chat import settings as settings_mod
from desktop_chat.ui.chat import message_body
from desktop_chat.ui.chat.message_body import SafeDocument
from desktop_chat.ui.chat.transcript import Transcript

# The offscreen platform says this whenever a top-level widget is shown; it is not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

IN_OPEN = 0x20
IN_ISDIR = 0x40000000
SCHEMES = (
    "http", "https", "ftp", "file", "smb", "javascript", "vbscript", "data", "mailto", "tel",
    "ssh", "sftp", "irc", "news", "ldap", "jar", "steam", "ms-settings", "x-custom", "chrome",
)  # fmt: skip


class OpenWatch:
    """Every open of a file in one folder, by anyone in this process (inotify)."""

    def __init__(self, folder: Path) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or self._libc.inotify_add_watch(self.fd, bytes(folder), IN_OPEN) < 0:
            pytest.skip("inotify is not available here, so opens cannot be watched")

    def opened(self) -> list[str]:
        names = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, size = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + size].rstrip(b"\0").decode()
                if mask & IN_OPEN and not mask & IN_ISDIR:
                    names.append(name)
                offset += 16 + size

    def close(self) -> None:
        os.close(self.fd)


@dataclass
class Bait:
    secret: Path
    fifo: Path
    url: str
    watch: OpenWatch
    requests: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [str(self.secret), str(self.fifo)]

    def assert_untouched(self) -> None:
        assert self.watch.opened() == [], "message text made the app open a file it names"
        assert self.requests == [], "message text made the app fetch a URL"


@pytest.fixture
def bait(tmp_path: Path) -> Iterator[Bait]:
    folder = tmp_path / "bait"
    folder.mkdir()
    secret = folder / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    stop = threading.Event()

    def keep_a_writer_waiting() -> None:
        while not stop.is_set():
            os.close(os.open(fifo, os.O_WRONLY))  # returns only once a reader opened it

    writer = threading.Thread(target=keep_a_writer_waiting, name="fifo-writer", daemon=True)
    writer.start()
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    serving = threading.Thread(target=server.serve_forever, name="bait-http", daemon=True)
    serving.start()
    watch = OpenWatch(folder)
    try:
        yield Bait(secret, fifo, f"http://127.0.0.1:{server.server_address[1]}", watch, requests)
    finally:
        watch.close()
        stop.set()
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the waiting writer return
        writer.join(10)
        os.close(reader)
        server.shutdown()
        server.server_close()
        serving.join(10)


def corpus(bait: Bait) -> dict[str, str]:
    """Name -> text. The names are stable, so each piece is its own test case."""
    targets = {"secret": str(bait.secret), "fifo": str(bait.fifo), "remote": bait.url + "/i.png"}
    targets |= {"passwd": "/etc/passwd", "devzero": "/dev/zero"}
    items: dict[str, str] = {}
    for name, target in targets.items():
        items[f"md-image-{name}"] = f"before ![x]({target}) after ![]({target} 'title')"
        items[f"md-image-ref-{name}"] = f"![x][r] and [y][r]\n\n[r]: {target}"
        items[f"md-image-file-url-{name}"] = f"![x](file://{target}) <file://{target}>"
        items[f"html-{name}"] = (
            f'<img src={target}> <img src="{target}"/> <link rel=stylesheet href="{target}">'
            f'<div style="background-image:url({target})">x</div>'
            f'<table background="{target}"><tr><td>x</td></tr></table>'
        )
        items[f"md-in-table-{name}"] = f"| a |\n|---|\n| ![x]({target}) |\n"
        items[f"md-in-code-{name}"] = f"```html\n<img src={target}>\n```\n`<img src={target}>`"
    items["script"] = (
        "<script>alert(1)</script><iframe src='https://x'></iframe>"
        "<a href='javascript:alert(1)'>x</a><svg onload=alert(1)>"
    )
    items["every-scheme"] = "\n".join(
        f"- [{s}]({s}://host/share) <{s}://host/auto> [{s}2]({s}:alert(1))" for s in SCHEMES
    )
    items["line-1mb"] = "x" * 1_000_000
    items["words-1mb"] = "word " * 200_000
    items["table-3000"] = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 3000
    items["quotes-10000"] = "> " * 10_000 + "deep"
    items["lists-10000"] = "- " * 10_000 + "deep"
    items["quote-lines-10000"] = "\n".join(">" * (i % 50 + 1) + " q" for i in range(10_000))
    items["indented-lists"] = "\n".join("  " * i + "- x" for i in range(400))
    items["brackets-10000"] = "[" * 10_000 + "x" + "](" * 5_000
    items["emphasis-10000"] = "*" * 10_000 + "x" + "_" * 10_000
    items["rtl-zero-width"] = (
        "\u202eevil.exe\u202c \u2067x\u2069 שלום مرحبا " + "\u200b" * 10_000 + "\u200d\ufeff\u2028"
    )
    items["combining-10000"] = "e" + "\u0301" * 10_000
    items["invalid-utf8"] = (
        bytes(range(256)).decode("utf-8", "replace")
        + (b"\xff\xfe\xed\xa0\x80\xc0\xaf" * 2000).decode("utf-8", "replace")
        + (b"ok\xe4\xbd" * 1000).decode("utf-8", "ignore")
    )
    items["control-chars"] = "".join(chr(c) for c in range(32)) * 100 + "\x7f\u0085"
    return items


NAMES = sorted(corpus(Bait(Path("/s"), Path("/f"), "http://h", None)))  # type: ignore[arg-type]


def loop_is_alive(qtbot) -> None:
    """The event loop still turns: a zero timer posted now fires."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=60_000)


@pytest.fixture
def transcript(qtbot) -> Transcript:
    view = Transcript()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def settle(qtbot, transcript: Transcript) -> None:
    qtbot.waitUntil(lambda: transcript.render_queue.pending == 0, timeout=120_000)
    for view in transcript.views:
        view.show_all()
        qtbot.waitUntil(lambda v=view: not v.body.writing, timeout=120_000)
        view.grab()  # layout and paint: when a document would ask for its images
    transcript.grab()


@pytest.mark.parametrize("role", ["assistant", "user"])
@pytest.mark.parametrize("name", NAMES)
def test_a_finished_message_loads_nothing_and_stays_responsive(qtbot, transcript, bait, name, role):
    text = corpus(bait)[name]
    before = SafeDocument.requests
    view = transcript.add_message(role, text)
    settle(qtbot, transcript)
    loop_is_alive(qtbot)
    bait.assert_untouched()
    assert SafeDocument.requests == before  # no <img> even reached the document
    assert view.text == text


@pytest.mark.parametrize("name", NAMES)
def test_a_streamed_answer_loads_nothing_and_stays_responsive(qtbot, transcript, bait, name):
    text = corpus(bait)[name]
    before = SafeDocument.requests
    view = transcript.begin_stream()
    for start in range(0, len(text), 4_000):
        transcript.append_stream(text[start : start + 4_000])
        transcript.flush()
        view.grab()
    qtbot.waitUntil(lambda: not view.stream_body.writing, timeout=120_000)
    transcript.end_stream(text)
    settle(qtbot, transcript)
    loop_is_alive(qtbot)
    bait.assert_untouched()
    assert SafeDocument.requests == before
    assert view.text == text


def test_the_watch_sees_a_rich_text_label_read_a_file(qtbot, bait):
    """The check above can fail: a plain QLabel reading rich text opens what <img> names."""
    label = QLabel(f'<p>x <img src="{bait.secret}"></p>')
    label.setTextFormat(Qt.TextFormat.RichText)
    qtbot.addWidget(label)
    label.show()
    label.grab()
    assert str(bait.secret.name) in bait.watch.opened()


def test_every_link_scheme_asks_before_leaving_the_app(qtbot, transcript, bait, monkeypatch):
    opened: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(message_body, "open_url", lambda url: opened.append(url.toString()))
    monkeypatch.setattr(message_body, "confirm_open", lambda _p, target: asked.append(target))
    view = transcript.add_message("assistant", corpus(bait)["every-scheme"])
    document = view.body.document()
    hrefs = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            href = iterator.fragment().charFormat().anchorHref()
            if href and href not in hrefs:
                hrefs.append(href)
            iterator += 1
        block = block.next()
    schemes = {QUrl(h).scheme() for h in hrefs}
    assert schemes.isdisjoint({"javascript", "vbscript", "file", "data"})  # never even links
    assert {"http", "https", "smb", "ms-settings"} <= schemes
    for href in hrefs:
        view.body.anchorClicked.emit(QUrl(href))
    web = [h for h in hrefs if QUrl(h).scheme() in ("http", "https") and QUrl(h).host()]
    assert "http:alert(1)" not in web  # a web scheme with no host asks too
    assert opened == web  # the declined rest never opened
    assert asked == [h for h in hrefs if h not in web]


# -- through the real window ------------------------------------------------------------------
@pytest.fixture
def desktop_app(qtbot, qapp):
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    yield app
    app.window.close()
    app.shutdown()


def rich_labels_naming(window, needles: list[str]) -> list[str]:
    """Labels that would read their text as markup and hold one of ``needles``."""
    found = []
    for label in window.findChildren(QLabel):
        if label.textFormat() == Qt.TextFormat.PlainText:
            continue
        if any(needle in label.text() for needle in needles):
            found.append(f"{label.objectName() or type(label.parent()).__name__}: {label.text()}")
    return found


def test_stored_hostile_chats_and_titles_open_in_the_window(qtbot, desktop_app, bait):
    app = desktop_app
    app.window.resize(1100, 800)
    app.window.show()
    qtbot.waitExposed(app.window)
    items = corpus(bait)
    html_title = f'<img src="{bait.secret}"><b>{bait.fifo}</b>'
    chats = [
        (html_title, ["html-secret", "md-image-fifo", "html-fifo"]),
        ("\u202eevil\u200b" * 50_000, ["rtl-zero-width", "invalid-utf8", "lists-10000"]),
        (f"![x]({bait.secret})", ["line-1mb", "table-3000", "md-image-ref-secret"]),
    ]
    ids = []
    for title, names in chats:
        conversation = app.store.create_conversation(title)
        for index, name in enumerate(names):
            role = "user" if index % 2 == 0 else "assistant"
            app.store.add_message(conversation.id, role, items[name])
        ids.append(conversation.id)
    app.chat.sidebar.refresh()
    for conversation_id in ids:
        app.chat.open_conversation(conversation_id)
        settle(qtbot, app.chat.transcript)
        app.window.grab()
        loop_is_alive(qtbot)
    bait.assert_untouched()
    assert rich_labels_naming(app.window, bait.paths) == []


def test_a_typed_hostile_question_reads_nothing(qtbot, desktop_app, bait, smollm_path):
    app = desktop_app
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(app.client.model_loaded, timeout=180_000):
        app.load_model(smollm_path)
    app.window.show()
    qtbot.waitExposed(app.window)
    question = f'<img src="{bait.secret}"> ![x]({bait.fifo}) <img src={bait.url}/q.png>'
    app.chat.composer.setPlainText(question)
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000):
        qtbot.keyClick(app.chat.composer, Qt.Key.Key_Return)
    settle(qtbot, app.chat.transcript)
    app.window.grab()
    loop_is_alive(qtbot)
    bait.assert_untouched()
    assert rich_labels_naming(app.window, bait.paths) == []
    assert app.chat.transcript.views[0].text == question
