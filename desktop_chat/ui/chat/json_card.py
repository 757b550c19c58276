"""A JSON answer (a schema profile's, like the Feedback analyzer's) shown as a small card."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from desktop_chat.ui.shell.theme import PALETTES, resolve
from desktop_chat.ui.shell.widgets import plain_label

MAX_FIELDS = 12  # more than this is a document to read as text, not a card
_SENTIMENT_COLOURS = {
    "light": {"positive": "#15803d", "neutral": "#4b5563", "negative": "#b91c1c"},
    "dark": {"positive": "#4ade80", "neutral": "#9ca3af", "negative": "#f87171"},
}


def card_fields(text: str) -> dict[str, Any] | None:
    """The answer's fields when it is one flat JSON object (else None: shown as text)."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(value, dict) or not 0 < len(value) <= MAX_FIELDS:
        return None
    if not all(isinstance(v, str | int | float | bool) or v is None for v in value.values()):
        return None
    return value


def _label(key: str) -> str:
    """A field's name for people; the Feedback analyzer's fields are translated."""
    known = {
        "sentiment": QCoreApplication.translate("JsonCard", "Sentiment"),
        "confidence": QCoreApplication.translate("JsonCard", "Confidence"),
        "summary": QCoreApplication.translate("JsonCard", "Summary"),
    }
    return known.get(key, key.replace("_", " ").capitalize())


def _sentiment(value: str) -> str:
    words = {
        "positive": QCoreApplication.translate("JsonCard", "Positive"),
        "neutral": QCoreApplication.translate("JsonCard", "Neutral"),
        "negative": QCoreApplication.translate("JsonCard", "Negative"),
    }
    return words.get(value, value)


class JsonCard(QFrame):
    """One row per field: its name, then its value; sentiment as a coloured word and a
    confidence from 0 to 1 as a percentage."""

    def __init__(self, fields: dict[str, Any], theme: str = "light", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("jsonCard")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.fields = fields
        self.theme = resolve(theme)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 8, 12, 8)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        for row, (key, value) in enumerate(fields.items()):
            name = plain_label(_label(key), self)
            name.setObjectName("jsonCardKey")
            self.grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            shown = plain_label(self._value_text(key, value), self)
            shown.setObjectName("jsonCardValue")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(shown, row, 1)
            self.values[key] = shown
        self.set_theme(theme)

    @staticmethod
    def _value_text(key: str, value: Any) -> str:
        if key == "sentiment" and isinstance(value, str):
            return _sentiment(value)
        if (
            key == "confidence"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and 0 <= value <= 1
        ):
            return f"{value * 100:.0f}%"
        if isinstance(value, bool) or value is None:
            return json.dumps(value)
        return str(value)

    def set_theme(self, theme: str) -> None:
        self.theme = resolve(theme)
        p = PALETTES[self.theme]
        sheet = (
            f"#jsonCard {{ background: {p['side']}; border: 1px solid {p['border']};"
            " border-radius: 8px; }"
            f"#jsonCardKey {{ color: {p['muted']}; }}"
        )
        self.setStyleSheet(sheet)
        sentiment = self.values.get("sentiment")
        value = self.fields.get("sentiment")
        if sentiment is not None and isinstance(value, str):
            colour = _SENTIMENT_COLOURS[self.theme].get(value)
            if colour:
                sentiment.setStyleSheet(f"color: {colour}; font-weight: bold;")


def place_card(
    box: QWidget, body: QWidget, card: JsonCard | None, text: str, theme: str
) -> JsonCard | None:
    """Show ``text`` in ``box`` as a card in place of ``body`` when it is a flat JSON object
    (replacing ``card``, the one shown before); returns the card shown, or None."""
    fields = card_fields(text) if text else None
    if card is not None:
        if fields == card.fields:
            card.set_theme(theme)
            return card
        box.layout().removeWidget(card)
        card.deleteLater()
    if fields is None:
        body.show()
        return None
    card = JsonCard(fields, theme, box)
    box.layout().insertWidget(box.layout().indexOf(body), card)
    body.hide()
    return card
