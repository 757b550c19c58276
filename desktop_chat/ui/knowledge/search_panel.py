"""The Knowledge pane's "Try it: search": a question against one knowledge base, its passages."""

from __future__ import annotations

import html
import logging
import sqlite3

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.kb import library
from desktop_chat.kb.index import KbError, Passage

log = logging.getLogger(__name__)

SEARCH_RESULTS = 5


class KbSearchPanel(QGroupBox):
    """``search_requested`` fires on Search or Enter; the pane answers with ``run``."""

    search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Try it: search"))
        self.setObjectName("kbSearchGroup")
        self.results: list[Passage] = []
        search = QVBoxLayout(self)
        line = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("kbSearchBox")
        self.search_box.setPlaceholderText(self.tr("Ask a question, e.g. how long do refunds take"))
        self.search_box.returnPressed.connect(self.search_requested)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search_requested)
        line.addWidget(self.search_box, 1)
        line.addWidget(self.search_button)
        search.addLayout(line)
        self.results_view = QTextBrowser()
        self.results_view.setObjectName("kbSearchResults")
        self.results_view.setOpenLinks(False)
        search.addWidget(self.results_view)

    def clear_results(self) -> None:
        self.results = []
        self.results_view.clear()

    def run(self, name: str | None, question: str) -> list[Passage]:
        """Search knowledge base ``name`` (None: none chosen) and show the ranked passages."""
        question = question.strip()
        self.results = []
        if name is None or not question:
            self.results_view.setPlainText(
                self.tr("Choose a knowledge base and type a question.")
                if name is None
                else self.tr("Type a question to search “{name}”.").format(name=name)
            )
            return []
        # On the GUI thread: a search of one sqlite FTS index takes milliseconds.
        try:
            with library.open_kb(name) as kb:
                empty = kb.stats().passages == 0
                self.results = [] if empty else kb.search(question, k=SEARCH_RESULTS)
        except (KbError, sqlite3.Error) as exc:
            log.warning("search in %s failed: %s", name, exc)
            self.results_view.setPlainText(self.tr("The search failed: {error}").format(error=exc))
            return []
        if empty:
            self.results_view.setPlainText(
                self.tr(
                    "“{name}” is empty, so there is nothing to search. Add files first."
                ).format(name=name)
            )
        elif not self.results:
            self.results_view.setPlainText(
                self.tr(
                    "No passage answers that question, so an assistant using “{name}” would "
                    "say it does not have that information."
                ).format(name=name)
            )
        else:
            self.results_view.setHtml(self._results_html(self.results))
        return self.results

    def _results_html(self, passages: list[Passage]) -> str:
        blocks = []
        score_label = self.tr("score")
        for number, passage in enumerate(passages, start=1):
            section = passage.section.replace(" > ", " › ") or passage.title
            text = html.escape(passage.text).replace("\n", "<br>")
            where = html.escape(passage.source)
            if passage.page is not None:
                where += " · " + html.escape(self.tr("page {n}").format(n=passage.page))
            blocks.append(
                f"<p><b>{number}. {html.escape(section)}</b><br>"
                f"<small>{where} · {score_label} {passage.score:.2f}"
                f"</small><br>{text}</p>"
            )
        return "".join(blocks)
