"""Search every conversation as you type; Enter or double-click opens the matching message."""

from __future__ import annotations

import html
import logging
import re
import sqlite3

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QEvent,
    QLocale,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.store import SearchHit, Store, StoreError
from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)

CONVERSATION_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
# Message id sent for a match on a conversation's title rather than on one message;
# sqlite row ids start at 1, so it never names a real message.
TITLE_MATCH = 0
MAX_TITLE_MATCHES = 5

_MOVE_KEYS = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -5,
    Qt.Key.Key_PageDown: 5,
}


def highlight_html(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """``text`` as escaped HTML with the given (start, end) spans in bold; overlaps are merged."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(f"<b>{html.escape(text[start:end])}</b>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


# Markdown's marks, which a snippet shows as plain text: fences, code ticks, emphasis,
# heading hashes, quote and list markers at a line start.
_MARKUP = re.compile(
    r"```[\w+.-]*[ \t]*\n?|`|\*\*|__|(?m:^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+))"
)


def plain_snippet(
    text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` without Markdown's marks and with its lines joined, and ``spans`` moved to match."""
    kept: list[int] = []  # for each character of the result, where it was in ``text``
    position = 0
    for match in _MARKUP.finditer(text):
        kept.extend(range(position, match.start()))
        position = match.end()
    kept.extend(range(position, len(text)))
    plain_chars = []
    new_index: dict[int, int] = {}
    for index in kept:
        char = text[index]
        if char in "\r\n\t":
            char = " "
        if char == " " and plain_chars and plain_chars[-1] == " ":
            continue  # runs of blanks (a joined line break) read as one space
        new_index[index] = len(plain_chars)
        plain_chars.append(char)
    moved = []
    for start, end in spans:
        inside = [new_index[i] for i in range(start, min(end, len(text))) if i in new_index]
        if inside:
            moved.append((inside[0], inside[-1] + 1))
    return "".join(plain_chars).strip(), tuple(moved)


def when_text(created: float, now: QDateTime | None = None) -> str:
    """When a message was written, in the interface's language: "Today 14:03", "1 Dec 2026"."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: C's "1 12 2026" reads badly
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    moment = QDateTime.fromSecsSinceEpoch(int(created))
    today = (now or QDateTime.currentDateTime()).date()
    clock = locale.toString(moment.time(), "HH:mm")
    if moment.date() == today:
        return QCoreApplication.translate("SearchDialog", "Today {time}").format(time=clock)
    if moment.date() == today.addDays(-1):
        return QCoreApplication.translate("SearchDialog", "Yesterday {time}").format(time=clock)
    pattern = QCoreApplication.translate("SearchDialog", "d MMM yyyy")
    return locale.toString(moment.date(), pattern)


def _spans_of(text: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    folded = text.casefold()
    spans = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    return tuple(spans)


def _rich_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


class SearchDialog(QDialog):
    """Full-text search over messages (and conversation titles), results ranked newest first."""

    hit_activated = Signal(int, int)  # conversation id, message id (TITLE_MATCH for a title)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(self.tr("Search chats"))
        self.resize(640, 480)
        self.store = store
        self.debounce_ms = 150
        self.limit = 50

        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("searchField")
        self.query_edit.setPlaceholderText(self.tr("Search messages…"))
        self.query_edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setUniformItemSizes(False)
        self.status_label = plain_label()
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_search)
        self.query_edit.textChanged.connect(self._schedule)
        self.query_edit.installEventFilter(self)
        self.results.itemActivated.connect(self._activate_item)
        self._show_status(self._intro_text())

    # -- searching -------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        """Search ``store`` from now on; the last query and its results are forgotten (they
        came from the data just deleted)."""
        self.store = store
        self.query_edit.clear()
        self.run_search()

    def _intro_text(self) -> str:
        return self.tr(
            "Search every conversation. Chinese and English both work, e.g. 退款 or refund."
        )

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    @Slot()
    def _schedule(self) -> None:
        self._timer.start(self.debounce_ms)

    def is_pending(self) -> bool:
        """True while a typed query waits for the debounce before it runs."""
        return self._timer.isActive()

    def set_query(self, text: str) -> None:
        """Put ``text`` in the field and search at once (no debounce)."""
        self.query_edit.setText(text)
        self.run_search()

    @Slot()
    def run_search(self) -> None:
        self._timer.stop()
        query = self.query_edit.text().strip()
        self.results.clear()
        if not query:
            self._show_status(self._intro_text())
            return
        try:
            hits = self.store.search(query, limit=self.limit)
            title_hits = self._title_matches(query)
        except (StoreError, sqlite3.Error):
            log.exception("search failed for %r", query)
            self._show_status(
                self.tr("Search failed. Try other words; details are in the log file.")
            )
            return
        for conversation_id, title, spans in title_hits:
            self._add_row(conversation_id, TITLE_MATCH, highlight_html(title, spans), "", "")
        for hit in hits:
            self._add_hit(hit)
        if self.results.count():
            self.results.setCurrentRow(0)
        if not hits and not title_hits:
            self._show_status(
                self.tr(
                    "No matches for “{query}”. Try fewer or shorter words; "
                    "Chinese and English both work."
                ).format(query=query)
            )
        elif len(hits) >= self.limit:
            self._show_status(
                self.tr("Showing the {count} newest matches.").format(count=len(hits))
            )
        else:
            self._show_status("")

    def _title_matches(self, query: str) -> list[tuple[int, str, tuple[tuple[int, int], ...]]]:
        terms = [term.casefold() for term in query.split()]
        found = []
        for conversation in self.store.list_conversations():
            folded = conversation.title.casefold()
            if all(term in folded for term in terms):
                found.append(
                    (conversation.id, conversation.title, _spans_of(conversation.title, terms))
                )
                if len(found) >= MAX_TITLE_MATCHES:
                    break
        return found

    def _role_text(self, role: str) -> str:
        names = {
            "user": self.tr("You"),
            "assistant": self.tr("Assistant"),
            "system": self.tr("System prompt"),
            "tool": self.tr("Tool"),
        }
        return names.get(role, role)

    def _add_hit(self, hit: SearchHit) -> None:
        title = html.escape(hit.conversation_title or self.tr("New chat"))
        when = when_text(hit.created)
        meta = html.escape(f"{self._role_text(hit.role)} · {when}")
        snippet = highlight_html(*plain_snippet(hit.snippet, hit.highlights))
        self._add_row(hit.conversation_id, hit.message_id, title, meta, snippet)

    def _add_row(
        self, conversation_id: int, message_id: int, title: str, meta: str, snippet: str
    ) -> None:
        """One result; every text argument is already HTML (escaped where it came from data)."""
        row = QWidget()
        row.setObjectName("searchResult")
        row.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        column = QVBoxLayout(row)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(2)
        if message_id == TITLE_MATCH:
            meta = html.escape(self.tr("Conversation title"))
        heading = _rich_label(f"<b>{title}</b>", "resultTitle")
        column.addWidget(heading)
        column.addWidget(_rich_label(meta, "metaLabel"))
        if snippet:
            column.addWidget(_rich_label(snippet, "resultSnippet"))
        item = QListWidgetItem()
        item.setData(CONVERSATION_ROLE, conversation_id)
        item.setData(MESSAGE_ROLE, message_id)
        # Width 0 lets the row follow the view's width instead of widening it for long text.
        item.setSizeHint(QSize(0, row.sizeHint().height()))
        self.results.addItem(item)
        self.results.setItemWidget(item, row)

    # -- choosing --------------------------------------------------------------------------

    def result_labels(self, row: int) -> list[QLabel]:
        """The labels shown for result ``row`` (title, meta, snippet); for tests and tools."""
        widget = self.results.itemWidget(self.results.item(row))
        return widget.findChildren(QLabel) if widget is not None else []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in _MOVE_KEYS:
                self._move(_MOVE_KEYS[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.is_pending():
                    self.run_search()
                self.activate_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        count = self.results.count()
        if not count:
            return
        row = min(max(self.results.currentRow() + step, 0), count - 1)
        self.results.setCurrentRow(row)

    @Slot()
    def activate_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._activate_item(item)

    @Slot(QListWidgetItem)
    def _activate_item(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(CONVERSATION_ROLE)
        message_id = item.data(MESSAGE_ROLE)
        if conversation_id is None:
            return
        self.accept()
        self.hit_activated.emit(int(conversation_id), int(message_id))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.query_edit.setFocus()
        self.query_edit.selectAll()
