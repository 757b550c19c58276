"""Message text on screen: a document that loads no resource, links that ask, chunked writes."""

from __future__ import annotations

import base64
import html
import logging
from collections import deque
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QSizeF,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QImageReader,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QMessageBox, QSizePolicy, QTextBrowser, QWidget

from desktop_chat.ui.chat.markdown import CITE_SCHEME, COPY_SCHEME, is_inline_image

log = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")
# A paragraph is laid out whole each time text is added to it (a 130 KB line cost 200 ms a
# flush): text written as it arrives starts a new paragraph after this many characters.
BLOCK_CHARS = 4_000
# Text is written into a document at most this much per event-loop turn.
WRITE_CHUNK_CHARS = 16_000
MAX_IMAGE_PIXELS = 4096 * 4096
SHOWN_TARGET_CHARS = 1_000


class SafeDocument(QTextDocument):
    """A text document whose resources come only from small data: image URIs.

    Qt's own loader reads any local path an ``<img>`` names (``/dev/zero`` aborted the
    process, a FIFO froze it); this one refuses everything else and counts what was asked.
    """

    requests = 0  # every resource any SafeDocument was asked for, for the hostile-content tests
    refused = 0

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        SafeDocument.requests += 1
        target = url.toString() if isinstance(url, QUrl) else str(url)
        if kind == QTextDocument.ResourceType.ImageResource.value and is_inline_image(target):
            image = decode_data_image(target)
            if image is not None:
                return image
        SafeDocument.refused += 1
        log.info("refused a resource in message text: %.200s", target)
        return None


def decode_data_image(uri: str) -> QImage | None:
    """The image in a base64 data: URI, or None when it is not one or would be too big."""
    try:
        data = base64.b64decode(uri.partition(",")[2], validate=True)
    except ValueError:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()  # from the header alone: a tiny file can claim 100,000 x 100,000
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return None
    image = reader.read()
    return None if image.isNull() else image


def open_url(url: QUrl) -> bool:
    """Hand a link to the desktop; the one place links leave the app (tests replace it)."""
    return QDesktopServices.openUrl(url)


def shown_target(url: QUrl) -> str:
    """A link's target as it will be opened, encoded so that nothing in it can disguise it."""
    return bytes(url.toEncoded().data()).decode("ascii", "replace")


def confirm_open(parent: QWidget | None, target: str) -> bool:
    """Ask before a link that is not http(s) leaves the app, showing its whole target."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MessageBody", "Open this link?"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    shown = target if len(target) <= SHOWN_TARGET_CHARS else target[:SHOWN_TARGET_CHARS] + "…"
    box.setText(
        QCoreApplication.translate(
            "MessageBody",
            "This link is not a web page. It may open another program or a file on this "
            "computer or your network:\n\n{target}\n\nOpen it only if you trust where it points.",
        ).format(target=shown)
    )
    if len(target) > SHOWN_TARGET_CHARS:
        box.setDetailedText(target)
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Open


def follow_link(parent: QWidget | None, url: QUrl) -> bool:
    """Open a web link; anything else only after the user has seen and confirmed its target."""
    if url.scheme().lower() in WEB_SCHEMES and url.host():
        return open_url(url)
    if not confirm_open(parent, shown_target(url)):
        return False
    return open_url(url)


class DocumentBody(QTextBrowser):
    """Read-only text sized to its content, on a SafeDocument; links go through follow_link.

    Plain text is written in chunks across event-loop turns and in bounded paragraphs, so
    neither a megabyte nor one endless line holds the GUI thread.
    """

    link_hovered = Signal(str)
    citation_clicked = Signal(int)  # the n of a [n] marker (a cite:n link) in the answer
    code_copy_requested = Signal(str)  # a code block's Copy link: its markdown.code_key
    written = Signal()  # every queued plain text has reached the document

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(SafeDocument(self))
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # A code line longer than the message is as wide is scrolled to, never wrapped.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setStyleSheet("QTextBrowser { background: transparent; border: none; }")
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.highlighted.connect(self._on_hovered)
        self.anchorClicked.connect(self._on_clicked)
        self._source_html = ""
        self._pending: deque[str | None] = deque()
        self._block_chars = 0
        self._writer = QTimer(self)
        self._writer.setSingleShot(True)
        self._writer.setInterval(0)
        self._writer.timeout.connect(self._write_some)
        self._fit_height(self.document().size())

    # -- content -------------------------------------------------------------------------
    def set_rich_text(self, source: str) -> None:
        self._drop_pending()
        self._source_html = source
        self.setHtml(source)

    def set_plain(self, text: str) -> None:
        self._drop_pending()
        self._source_html = ""
        self.clear()
        self._block_chars = 0
        self.append_plain(text)

    def append_plain(self, text: str, *, new_paragraph: bool = False) -> None:
        """Queue text for the end of the document; up to a chunk is written at once.

        ``new_paragraph`` starts it on a plain paragraph of its own, so text after a list or
        a link does not join it.
        """
        if new_paragraph:
            self._pending.append(None)  # None: a paragraph break
        if text:
            self._pending.append(text)
        if not self._writer.isActive():
            self._write_some()

    @property
    def writing(self) -> bool:
        return bool(self._pending)

    def text(self) -> str:
        """The rich text last set (QLabel's name, kept for callers of the old label)."""
        return self._source_html

    def _drop_pending(self) -> None:
        self._pending.clear()
        self._writer.stop()

    @Slot()
    def _write_some(self) -> None:
        budget = WRITE_CHUNK_CHARS
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        while self._pending and budget > 0:
            piece = self._pending.popleft()
            if piece is None:
                self._new_block(cursor)
                continue
            if len(piece) > budget:
                self._pending.appendleft(piece[budget:])
                piece = piece[:budget]
            budget -= len(piece)
            self._insert(cursor, piece)
        cursor.endEditBlock()
        if self._pending:
            self._writer.start()
        else:
            self.written.emit()

    def _new_block(self, cursor: QTextCursor) -> None:
        # Plain formats: the end of rich text may be a list item, a quote or inside a link.
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        self._block_chars = 0

    def _insert(self, cursor: QTextCursor, piece: str) -> None:
        plain = QTextCharFormat()
        for number, line in enumerate(piece.split("\n")):
            if number:
                self._new_block(cursor)
            while self._block_chars + len(line) > BLOCK_CHARS:
                room = BLOCK_CHARS - self._block_chars
                if room > 0:
                    # Break after a space when there is one close by, so words stay whole.
                    space = line.rfind(" ", max(0, room - 200), room)
                    split = space + 1 if space >= 0 else room
                    cursor.insertText(line[:split], plain)
                    line = line[split:]
                self._new_block(cursor)
            if line:
                cursor.insertText(line, plain)
                self._block_chars += len(line)

    # -- links ---------------------------------------------------------------------------
    @Slot(QUrl)
    def _on_hovered(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            self.setToolTip(QCoreApplication.translate("MessageBody", "Copy this code"))
            self.link_hovered.emit("")
            return
        if url.scheme() == CITE_SCHEME:
            self.setToolTip(QCoreApplication.translate("MessageBody", "Show this source"))
            self.link_hovered.emit("")
            return
        target = shown_target(url) if url.isValid() and not url.isEmpty() else ""
        # Escaped inside <p> so the tooltip shows the target as-is, never as markup.
        self.setToolTip(f"<p>{html.escape(target[:SHOWN_TARGET_CHARS])}</p>" if target else "")
        self.link_hovered.emit(target)

    @Slot(QUrl)
    def _on_clicked(self, url: QUrl) -> None:
        if url.scheme() == CITE_SCHEME:
            number = url.path()
            if number.isdigit():
                self.citation_clicked.emit(int(number))
            return
        if url.scheme() == COPY_SCHEME:
            self.code_copy_requested.emit(url.path())
            return
        follow_link(self.window(), url)

    # -- size ----------------------------------------------------------------------------
    @Slot(QSizeF)
    def _fit_height(self, size: QSizeF) -> None:
        margins = self.contentsMargins()  # a style sheet's padding lands here
        content = max(self.fontMetrics().lineSpacing(), int(size.height()) + 2)
        if size.width() > self.viewport().width() + 1:  # room for the sideways scroll bar
            content += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(content + margins.top() + margins.bottom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A narrower message may now need the sideways bar for its code (or no longer).
        self._fit_height(self.document().size())
