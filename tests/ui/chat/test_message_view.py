"""MessageView and Transcript: no resource loaded, links that ask, and rendering in bounded steps."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QImage, QMouseEvent, QTextCursor, QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication

from desktop_chat.ui.chat import message_body
from desktop_chat.ui.chat.markdown import RICH_TEXT_CHARS, RICH_TEXT_LINES
from desktop_chat.ui.chat.message_body import BLOCK_CHARS, SafeDocument, decode_data_image
from desktop_chat.ui.chat.message_view import SYNC_RENDER_CHARS, MessageView
from desktop_chat.ui.chat.transcript import Transcript

# The offscreen platform says this whenever a top-level widget is shown; it is not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

TABLE = "| # | name |\n|---|---|\n" + "".join(f"| {i} | row {i} |\n" for i in range(3000))


def png_data_uri(width: int = 4, height: int = 4) -> str:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(buffer.data().data())).decode()


def png_claiming(width: int, height: int) -> str:
    """A few bytes of PNG whose header claims a width x height image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))
    return "data:image/png;base64," + base64.b64encode(data + chunk(b"IEND", b"")).decode()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def message(qtbot):
    """Makes a message in a shown transcript (a scroll area, as in the window), rendered."""
    transcripts = []

    def make(role: str, text: str) -> MessageView:
        transcripts.append(shown(qtbot, Transcript()))
        view = transcripts[-1].add_message(role, text)
        if view.render_pending:
            view.render_now()
        return view

    return make


def written(qtbot, view: MessageView) -> str:
    qtbot.waitUntil(lambda: not view.render_pending and not view.body.writing, timeout=60_000)
    return view.body.toPlainText()


def anchor_point(body, text: str) -> QPoint:
    found = body.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 1)
    return body.cursorRect(cursor).center()


# -- resources ------------------------------------------------------------------------------
def test_the_document_refuses_every_resource_but_a_small_data_image(qtbot):
    document = SafeDocument()
    image = QTextDocument.ResourceType.ImageResource.value
    for target in ("/etc/passwd", "file:///dev/zero", "http://127.0.0.1:9/x.png", "x.png"):
        assert document.loadResource(image, QUrl(target)) is None
    style = QTextDocument.ResourceType.StyleSheetResource.value
    assert document.loadResource(style, QUrl(png_data_uri())) is None
    loaded = document.loadResource(image, QUrl(png_data_uri(3, 2)))
    assert isinstance(loaded, QImage) and (loaded.width(), loaded.height()) == (3, 2)


def test_a_data_image_claiming_a_huge_size_is_refused_before_it_is_decoded():
    assert decode_data_image(png_data_uri(16, 16)) is not None
    assert decode_data_image(png_claiming(100_000, 100_000)) is None
    assert decode_data_image("data:image/png;base64,not base64!") is None


def test_an_answer_with_a_local_image_shows_a_link_and_reads_nothing(qtbot, message):
    before = SafeDocument.requests
    view = message("assistant", "look ![secret](/etc/passwd) here")
    view.grab()  # paint: a document asks for images when it lays out and draws them
    assert SafeDocument.requests == before
    assert "[Image: secret]" in view.body.toPlainText()
    assert "<img" not in view.body.text()


def test_a_small_data_image_in_an_answer_is_shown(qtbot, message):
    uri = png_data_uri()
    view = message("assistant", f"a dot: ![dot]({uri})")
    view.grab()
    resource = view.body.document().resource(
        QTextDocument.ResourceType.ImageResource.value, QUrl(uri)
    )
    assert isinstance(resource, QImage) and not resource.isNull()


# -- links ----------------------------------------------------------------------------------
@pytest.fixture
def links(monkeypatch):
    """Record what would be opened and what the user was asked, answering ``answer``."""
    record = {"opened": [], "asked": [], "answer": False}
    monkeypatch.setattr(message_body, "open_url", lambda url: record["opened"].append(url) or True)

    def confirm(_parent, target):
        record["asked"].append(target)
        return record["answer"]

    monkeypatch.setattr(message_body, "confirm_open", confirm)
    return record


def test_a_web_link_opens_on_click_and_shows_its_target_on_hover(qtbot, message, links):
    view = message("assistant", "Read [the docs](https://example.com/a?b=1).")
    point = anchor_point(view.body, "the docs")
    viewport = view.body.viewport()
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(view.link_hovered) as hovered:
        QApplication.sendEvent(viewport, move)
    assert hovered.args == ["https://example.com/a?b=1"]
    assert "https://example.com/a?b=1" in view.body.toolTip()
    qtbot.mouseClick(view.body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [u.toString() for u in links["opened"]] == ["https://example.com/a?b=1"]
    assert links["asked"] == []


def test_any_other_scheme_asks_first_with_the_whole_target(qtbot, message, links):
    view = message("assistant", "Open [the share](smb://fileserver/c$/secret).")
    point = anchor_point(view.body, "the share")
    qtbot.mouseClick(view.body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert links["asked"] == ["smb://fileserver/c$/secret"]
    assert links["opened"] == []  # declined
    links["answer"] = True
    qtbot.mouseClick(view.body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [u.toString() for u in links["opened"]] == ["smb://fileserver/c$/secret"]


def test_a_local_image_link_asks_before_opening(qtbot, message, links):
    view = message("assistant", "![pic](/etc/passwd)")
    qtbot.mouseClick(
        view.body.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(view.body, "pic")
    )
    assert links["asked"] == ["/etc/passwd"] and links["opened"] == []


def test_a_citation_marker_emits_its_number_and_opens_nothing(qtbot, message, links):
    view = message("assistant", "Refunds take five days [2].")
    with qtbot.waitSignal(view.citation_clicked) as clicked:
        qtbot.mouseClick(
            view.body.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(view.body, "[2]")
        )
    assert clicked.args == [2]
    assert links["asked"] == [] and links["opened"] == []


def test_script_links_are_not_links_at_all(qtbot, message, links):
    view = message("assistant", "[x](javascript:alert(1)) [y](file:///etc/passwd)")
    assert "href" not in view.body.text()
    assert "javascript:alert(1)" in view.body.toPlainText()


# -- size -----------------------------------------------------------------------------------
def test_a_megabyte_answer_renders_only_its_head_until_show_all(qtbot, message):
    text = "".join(
        f"Paragraph {i}: the quick brown fox jumps over the lazy dog.\n\n" for i in range(17_000)
    )
    assert len(text) > 1_000_000
    view = message("assistant", text)
    assert view.body.document().characterCount() <= RICH_TEXT_CHARS + 1
    assert not view.show_all_button.isHidden()
    assert f"{len(view.tail):,} more characters" in view.show_all_button.text()
    assert "Paragraph 16999" not in view.body.toPlainText()
    qtbot.mouseClick(view.show_all_button, Qt.MouseButton.LeftButton)
    assert view.body.writing  # a megabyte is written over several turns of the event loop
    shown_text = written(qtbot, view)
    assert "Paragraph 16999: the quick brown fox" in shown_text
    assert view.show_all_button.isHidden()
    assert view.text == text  # copy still gives the whole answer


def test_a_huge_table_renders_its_first_rows_as_a_table_and_the_rest_on_demand(qtbot, message):
    view = message("assistant", TABLE)
    frames = view.body.document().rootFrame().childFrames()
    tables = [f for f in frames if isinstance(f, QTextTable)]
    assert len(tables) == 1 and tables[0].rows() == RICH_TEXT_LINES - 1  # header + rows
    assert "row 2999" not in view.body.toPlainText()
    view.show_all()
    assert "| 2999 | row 2999 |" in written(qtbot, view)


def test_show_all_survives_a_theme_change(qtbot, message):
    view = message("assistant", TABLE)
    view.show_all()
    written(qtbot, view)
    view.set_theme("dark")
    assert "row 2999" in written(qtbot, view)
    assert view.show_all_button.isHidden()


def test_a_long_user_message_is_capped_too(qtbot, message):
    text = "<b>not bold</b> " + "y" * 500_000
    view = message("user", text)
    assert "&lt;b&gt;" in view.body.text()
    assert view.body.document().characterCount() <= RICH_TEXT_CHARS + 1
    view.show_all()
    assert written(qtbot, view).replace("\n", "") == text


def test_a_streamed_monster_line_is_written_in_bounded_paragraphs(qtbot):
    transcript = shown(qtbot, Transcript())
    view = transcript.begin_stream()
    line = "".join(f"{i:07d}" for i in range(20_000))  # 140 KB, no space, no newline
    for start in range(0, len(line), 3_000):
        transcript.append_stream(line[start : start + 3_000])
        transcript.flush()
    body = view.stream_body
    qtbot.waitUntil(lambda: not body.writing)
    blocks = body.toPlainText().split("\n")
    assert max(len(b) for b in blocks) <= BLOCK_CHARS
    assert "".join(blocks) == line
    finished = transcript.end_stream()
    qtbot.waitUntil(lambda: not view.render_pending)
    assert finished is view and view.text == line and not view.show_all_button.isHidden()


def test_setting_a_huge_text_while_streaming_is_written_in_chunks(qtbot):
    transcript = shown(qtbot, Transcript())
    view = transcript.begin_stream()
    text = "a few words\n" * 100_000
    view.set_text(text)
    assert view.stream_body.writing
    qtbot.waitUntil(lambda: not view.stream_body.writing)
    assert view.stream_body.toPlainText() == text


# -- opening a chat ---------------------------------------------------------------------------
def test_opening_a_chat_of_long_answers_renders_them_newest_first_in_turns(qtbot):
    transcript = shown(qtbot, Transcript())
    order = []
    transcript.render_queue.rendered.connect(order.append)
    views = [transcript.add_message("assistant", f"answer {i}\n\n" + TABLE) for i in range(8)]
    short = transcript.add_message("user", "a short question")
    assert not short.render_pending  # short messages render at once
    assert all(v.render_pending for v in views)
    assert views[0].body.toPlainText().startswith("answer 0")  # a plain preview meanwhile
    assert len(views[0].body.toPlainText()) <= SYNC_RENDER_CHARS
    qtbot.waitUntil(lambda: transcript.render_queue.pending == 0)
    assert order == list(reversed(views))
    assert all(not v.render_pending and v.show_all_button.isVisible() for v in views)


def test_clearing_drops_views_still_waiting_to_render(qtbot):
    transcript = shown(qtbot, Transcript())
    for _ in range(5):
        transcript.add_message("assistant", TABLE)
    transcript.clear()
    assert transcript.render_queue.pending == 0
    qtbot.wait(20)  # the queue's timer, had it been left running, would now touch dead views


def test_the_welcome_text_is_shown_on_a_document_that_loads_nothing(qtbot):
    transcript = shown(qtbot, Transcript())
    before = SafeDocument.requests
    transcript.set_placeholder("<h2>Hi</h2><p><img src='/dev/zero'> model.gguf</p>")
    transcript.grab()
    assert SafeDocument.refused > 0 and SafeDocument.requests > before
    assert "model.gguf" in transcript._placeholder.toPlainText()


def test_messages_rendering_above_the_reader_keep_the_reader_in_place(qtbot):
    transcript = shown(qtbot, Transcript())
    for index in range(30):
        transcript.add_message("user", f"short {index}")
    bar = transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    bar.setValue(bar.maximum() // 2)  # the reader has scrolled up a little
    seen = []

    def note_what_the_reader_sees() -> None:
        if not seen:  # when the first rendering starts, laid out as the reader sees it
            top = bar.value()
            view = next(v for v in transcript.views if v.geometry().bottom() >= top)
            seen.append((view, view.y() - top))

    transcript.render_queue.batch_started.connect(note_what_the_reader_sees)
    transcript.prepend_messages([("assistant", TABLE) for _ in range(3)])
    assert transcript.render_queue.pending == 3
    qtbot.waitUntil(lambda: transcript.render_queue.pending == 0)
    transcript._layout.activate()
    assert all(v.height() > 1000 for v in transcript.views[:3])  # they did grow
    reading, offset = seen[0]
    assert reading.text.startswith("short")
    assert reading.y() - bar.value() == offset


def reader_at_top(transcript: Transcript) -> tuple[MessageView, int]:
    """The message at the top of the view and how far its top is from the view's."""
    top = transcript.verticalScrollBar().value()
    view = next(v for v in transcript.views if v.geometry().bottom() >= top)
    return view, view.y() - top


def test_a_message_above_the_reader_growing_later_keeps_the_reader_in_place(qtbot):
    transcript = shown(qtbot, Transcript())
    long_answer = "".join(f"Paragraph {i}: the parcel is on its way.\n\n" for i in range(4000))
    above = transcript.add_message("assistant", long_answer)
    above.render_now()
    for index in range(30):
        transcript.add_message("user", f"short {index}")
    bar = transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: transcript.views[-1].isVisible() and bar.maximum() > 1000)
    bar.setValue(bar.maximum() - 300)  # the reader has scrolled up, below the long answer
    reading, offset = reader_at_top(transcript)
    assert reading.text.startswith("short")
    height = above.height()
    above.show_all()  # the rest is written over several turns, each relaid out on its own
    qtbot.waitUntil(lambda: not above.body.writing and above.height() > height + 20_000)
    qtbot.waitUntil(lambda: reading.y() - bar.value() == offset)
    assert reader_at_top(transcript) == (reading, offset)


def test_the_place_kept_is_where_the_reader_scrolled_last(qtbot):
    transcript = shown(qtbot, Transcript())
    for index in range(30):
        transcript.add_message("user", f"short {index}")
    bar = transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    bar.setValue(bar.maximum() // 2)
    transcript.prepend_messages([("assistant", TABLE)])
    bar.setValue(bar.value() - 150)  # the reader moves on before the earlier message renders
    reading, offset = reader_at_top(transcript)
    qtbot.waitUntil(lambda: transcript.render_queue.pending == 0)
    assert transcript.views[0].height() > 1000
    assert reader_at_top(transcript) == (reading, offset)


def test_a_reader_at_the_bottom_stays_there_when_earlier_messages_load(qtbot):
    transcript = shown(qtbot, Transcript())
    for index in range(30):
        transcript.add_message("user", f"short {index}")
    bar = transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200 and bar.value() == bar.maximum())
    transcript.prepend_messages([("assistant", TABLE) for _ in range(2)])
    qtbot.waitUntil(lambda: transcript.render_queue.pending == 0)
    transcript.add_message("assistant", "a new answer")
    qtbot.waitUntil(lambda: transcript.views[-1].isVisible())
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 5000)


# -- copy -----------------------------------------------------------------------------------
def test_a_code_blocks_copy_link_copies_its_code_and_says_copied(qtbot, message, links):
    view = message("assistant", "Run this:\n\n```python\nprint('refund')\n```\n\nand `x`.")
    assert "python" in view.body.toPlainText()  # the language label
    QApplication.clipboard().clear()
    qtbot.mouseClick(
        view.body.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(view.body, "Copy")
    )
    assert QApplication.clipboard().text() == "print('refund')"
    assert view.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: view.copy_button.text() == "Copy", timeout=5000)
    assert links["asked"] == [] and links["opened"] == []


def test_a_long_code_line_scrolls_sideways_and_the_prose_still_wraps(qtbot, message, links):
    line = "print('" + "refund " * 60 + "')"
    prose = "Refunds take five days once the parcel is back; " * 4
    view = message("assistant", f"{prose}\n\n```python\n{line}\n```\n\nDone.")
    body = view.body
    body.window().resize(600, 500)
    qtbot.waitUntil(lambda: body.horizontalScrollBar().maximum() > 0)
    assert body.document().textWidth() <= body.viewport().width()  # the prose is not widened
    code = body.document().find("print(")
    assert code.block().layout().lineCount() == 1  # the code line is one line, not wrapped
    prose_block = body.document().find("Refunds take").block()
    assert prose_block.layout().lineCount() > 1
    assert body.height() >= body.document().size().height() + body.horizontalScrollBar().height()
    # Copy and selection still give the whole line.
    assert line in body.toPlainText()
    QApplication.clipboard().clear()
    qtbot.mouseClick(body.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(body, "Copy"))
    assert QApplication.clipboard().text() == line
    body.horizontalScrollBar().setValue(body.horizontalScrollBar().maximum())
    assert links["opened"] == []


def test_a_message_copies_as_markdown_or_as_plain_text(qtbot, message):
    view = message("assistant", "Refunds take **five days**.\n\n- keep the receipt")
    view.copy_button.click()
    assert QApplication.clipboard().text() == view.text
    view.copy_plain()
    plain = QApplication.clipboard().text()
    assert "**" not in plain and "five days" in plain and "keep the receipt" in plain
    assert [a.text() for a in view.copy_button.menu().actions()] == [
        "Copy as Markdown",
        "Copy as plain text",
    ]


def test_a_message_a_search_jumped_to_is_outlined_for_a_moment(qtbot, message):
    view = message("assistant", "The hit.")
    view.flash(ms=100)
    assert view.property("found") is True
    qtbot.waitUntil(lambda: view.property("found") is False, timeout=5000)


def test_a_cleared_transcripts_old_messages_are_not_painted_while_they_wait(qtbot):
    transcript = shown(qtbot, Transcript())
    old = [transcript.add_message("user", f"old {n}") for n in range(3)]
    transcript.clear()
    # Deleted on the next turn of the event loop: until then they must not show.
    assert all(view.isHidden() for view in old)
