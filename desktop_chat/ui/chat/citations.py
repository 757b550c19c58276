"""The sources under a grounded answer: a link per cited passage opening its text with the
sentences the answer relies on highlighted, and the answer's figures no source contains."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop_chat.kb.index import Passage
from desktop_chat.ui.shell.widgets import plain_label

CITATION_KEYS = tuple(f.name for f in fields(Passage))
# Marked-text colours for each theme: at least 6:1 contrast with their own text.
HIGHLIGHT = {
    "light": ("#fde68a", "#1f2328"),
    "dark": ("#854d0e", "#fef9c3"),
}


def passages_to_dicts(passages: Iterable[Passage]) -> list[dict[str, Any]]:
    """Passages in the form stored with a message: plain dicts with CITATION_KEYS."""
    return [asdict(p) for p in passages]


def citation_number(index: int, citation: Mapping[str, Any]) -> int:
    """The number the answer cites the passage by: stored with it, else its place in the list."""
    number = citation.get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else index + 1


def citation_label(number: int, citation: Mapping[str, Any]) -> str:
    """ "[1] Returns › Refund times": the passage's section, else its title, else its file."""
    section = str(citation.get("section") or "").replace(" > ", " › ")
    name = section or str(citation.get("title") or "") or str(citation.get("source") or "")
    return f"[{number}] {name}"


def quote_spans(citation: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The stored quote spans of a citation, checked and merged (an archive may hold anything)."""
    text_length = len(str(citation.get("text") or ""))
    raw = citation.get("quotes")
    spans: list[tuple[int, int]] = []
    for item in raw if isinstance(raw, list) else []:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in item)
            and 0 <= item[0] < item[1] <= text_length
        ):
            spans.append((item[0], item[1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def claim_texts(unsupported: Iterable[object]) -> list[str]:
    """The unsupported claims' texts, from the stored dicts (or plain strings)."""
    texts = []
    for claim in unsupported:
        text = claim.get("text") if isinstance(claim, Mapping) else claim
        if isinstance(text, str) and text.strip() and text.strip() not in texts:
            texts.append(text.strip())
    return texts


class CitationsView(QWidget):
    """A "Sources:" line with a link per passage; a link opens the passage below it.

    ``citations`` are the shown passages, each numbered as the answer cites it (its stored
    ``number``, else its place). Document text is shown escaped, never read as HTML; the
    sentences the answer relies on (``quotes``) are highlighted. ``unsupported`` lists the
    answer's figures that no shown source contains. A [n] link clicked in the answer
    (the parent message view's ``citation_clicked``) opens passage n.
    """

    passage_opened = Signal(int)  # index into citations, or -1 when the passage is closed

    def __init__(
        self,
        citations: Sequence[Mapping[str, Any]],
        parent: QWidget | None = None,
        unsupported: Iterable[object] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citations")
        self.citations = [dict(c) for c in citations]
        self.numbers = [citation_number(i, c) for i, c in enumerate(self.citations)]
        self.claims = claim_texts(unsupported)
        self.current = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        self.heading = plain_label(self.tr("Sources:"))
        self.heading.setObjectName("metaLabel")
        layout.addWidget(self.heading)
        self.buttons: list[QPushButton] = []
        for index, citation in enumerate(self.citations):
            label = citation_label(self.numbers[index], citation)
            # "&" would otherwise turn the next letter into a keyboard mnemonic.
            button = QPushButton(label.replace("&", "&&"))
            button.setObjectName("linkButton")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Wrapped in <p> so Qt reads the tooltip as rich text and shows the escaped name as-is.
            button.setToolTip(f"<p>{html.escape(str(citation.get('source') or ''))}</p>")
            button.setProperty("citation_index", index)
            button.clicked.connect(self._on_button_clicked)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons.append(button)
        self.unsupported_label = plain_label(
            "\n".join(
                self.tr("{claim} — not found in the sources").format(claim=claim)
                for claim in self.claims
            )
        )
        self.unsupported_label.setObjectName("fieldError")
        self.unsupported_label.setWordWrap(True)
        self.unsupported_label.setToolTip(
            self.tr("The answer states this, but none of the sources above says it. Check it.")
        )
        self.unsupported_label.setVisible(bool(self.claims))
        layout.addWidget(self.unsupported_label)
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
        clicked = getattr(parent, "citation_clicked", None)
        if clicked is not None:
            clicked.connect(self.show_number)

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

    @Slot(int)
    def show_number(self, number: int) -> None:
        """Open the passage the answer cites as ``[number]`` and bring it into view."""
        if number not in self.numbers:
            return
        self.show_passage(self.numbers.index(number))
        QTimer.singleShot(0, self._scroll_into_view)

    @Slot()
    def _scroll_into_view(self) -> None:
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QScrollArea):
            widget = widget.parentWidget()
        if isinstance(widget, QScrollArea) and self.detail.isVisible():
            widget.ensureWidgetVisible(self.detail, 0, 40)

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

    def _theme(self) -> str:
        # The app's style sheet sets the text colour: light text means the dark theme.
        color = self.detail_label.palette().color(QPalette.ColorRole.WindowText)
        return "dark" if color.lightness() > 128 else "light"

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and self.current >= 0:
            self.detail_label.setText(self.passage_html(self.citations[self.current]))

    def passage_html(self, citation: Mapping[str, Any]) -> str:
        section = str(citation.get("section") or "").replace(" > ", " › ")
        source = str(citation.get("source") or "")
        text = str(citation.get("text") or "")
        background, foreground = HIGHLIGHT[self._theme()]
        parts, position = [], 0
        for start, end in quote_spans(citation):
            parts.append(html.escape(text[position:start]))
            parts.append(
                f'<span style="background-color:{background}; color:{foreground}">'
                f"{html.escape(text[start:end])}</span>"
            )
            position = end
        parts.append(html.escape(text[position:]))
        body = "".join(parts).replace("\n", "<br>")
        page = citation.get("page")
        if isinstance(page, int) and not isinstance(page, bool):
            where = self.tr("From {source}, page {page}").format(
                source=html.escape(source), page=page
            )
        else:
            where = self.tr("From {source}").format(source=html.escape(source))
        return f"<p><b>{html.escape(section)}</b><br><small>{where}</small></p><p>{body}</p>"

    @property
    def shown_text(self) -> str:
        """The open passage's text as the user reads it; empty when none is open."""
        if self.current < 0:
            return ""
        return str(self.citations[self.current].get("text") or "")

    @property
    def highlighted(self) -> list[str]:
        """The highlighted sentences of the open passage, as the user reads them."""
        if self.current < 0:
            return []
        citation = self.citations[self.current]
        text = str(citation.get("text") or "")
        return [text[start:end] for start, end in quote_spans(citation)]
