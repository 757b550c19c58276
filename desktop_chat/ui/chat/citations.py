"""The sources under a grounded answer: one link per cited passage, opening the passage's text."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_chat.kb.index import Passage
from desktop_chat.ui.shell.widgets import plain_label

CITATION_KEYS = ("id", "source", "title", "section", "text", "score")


def passages_to_dicts(passages: Iterable[Passage]) -> list[dict[str, Any]]:
    """Passages in the form stored with a message: plain dicts with CITATION_KEYS."""
    return [asdict(p) for p in passages]


def citation_label(number: int, citation: Mapping[str, Any]) -> str:
    """ "[1] Returns › Refund times": the passage's section, else its title, else its file."""
    section = str(citation.get("section") or "").replace(" > ", " › ")
    name = section or str(citation.get("title") or "") or str(citation.get("source") or "")
    return f"[{number}] {name}"


class CitationsView(QWidget):
    """A "Sources:" line with a link per passage; a link opens the passage below it.

    ``citations[i]`` is the passage cited as ``[i + 1]`` in the answer. Document text is
    shown as escaped rich text, never interpreted as HTML.
    """

    passage_opened = Signal(int)  # index into citations, or -1 when the passage is closed

    def __init__(
        self, citations: Sequence[Mapping[str, Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citations")
        self.citations = [dict(c) for c in citations]
        self.current = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        self.heading = plain_label(self.tr("Sources:"))
        self.heading.setObjectName("metaLabel")
        layout.addWidget(self.heading)
        self.buttons: list[QPushButton] = []
        for index, citation in enumerate(self.citations):
            # "&" would otherwise turn the next letter into a keyboard mnemonic.
            button = QPushButton(citation_label(index + 1, citation).replace("&", "&&"))
            button.setObjectName("linkButton")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Wrapped in <p> so Qt reads the tooltip as rich text and shows the escaped name as-is.
            button.setToolTip(f"<p>{html.escape(str(citation.get('source') or ''))}</p>")
            button.setProperty("citation_index", index)
            button.clicked.connect(self._on_button_clicked)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(button)
        self.detail = QFrame()
        self.detail.setObjectName("citationDetail")
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(10, 6, 10, 6)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("citationText")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setOpenExternalLinks(False)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_layout.addWidget(self.detail_label)
        layout.addWidget(self.detail)
        self.detail.hide()
        self.setVisible(bool(self.citations))

    @Slot()
    def _on_button_clicked(self) -> None:
        button = self.sender()
        index = button.property("citation_index") if isinstance(button, QPushButton) else None
        if isinstance(index, int):
            self.toggle(index)

    def toggle(self, index: int) -> None:
        """Open passage ``index``, or close it when it is the one already open."""
        if index == self.current:
            self.close_passage()
        else:
            self.show_passage(index)

    def show_passage(self, index: int) -> None:
        citation = self.citations[index]
        self.current = index
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
        self.detail_label.setText(self.passage_html(citation))
        self.detail.show()
        self.passage_opened.emit(index)

    def close_passage(self) -> None:
        self.current = -1
        for button in self.buttons:
            button.setChecked(False)
        self.detail.hide()
        self.passage_opened.emit(-1)

    def passage_html(self, citation: Mapping[str, Any]) -> str:
        section = str(citation.get("section") or "").replace(" > ", " › ")
        source = str(citation.get("source") or "")
        text = html.escape(str(citation.get("text") or "")).replace("\n", "<br>")
        where = self.tr("From {source}").format(source=html.escape(source))
        return f"<p><b>{html.escape(section)}</b><br><small>{where}</small></p><p>{text}</p>"

    @property
    def shown_text(self) -> str:
        """The open passage's text as the user reads it; empty when none is open."""
        if self.current < 0:
            return ""
        return str(self.citations[self.current].get("text") or "")
