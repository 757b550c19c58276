"""Small widgets every pane uses, made safe by default: labels and questions show plain text."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMessageBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as markup.

    QLabel's default (AutoText) renders anything that looks like HTML, and an ``<img>`` in a
    model name, a title or an error sentence with a file name in it would load that path
    (issue 17: ``<img src=/dev/zero>`` aborted the process). Labels that really show markup
    set RichText themselves and escape what they insert."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


class ElidingComboBox(QComboBox):
    """A closed combo box that cuts its current text with "…" where it is narrow.

    Qt clips a combo box's text at the field's edge (mid-letter, and with some styles at the
    start), so a long model or profile name in a narrow header or form read as nonsense.
    """

    elides = True  # the layout probe in the tests accepts a cut text from such a box

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


TOOLTIP_CHARS = 1000


def plain_tooltip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """Tooltip text that shows as typed: Qt guesses whether a tooltip is HTML, so a file name
    or an error holding ``<img src=…>`` would be rendered (and the image loaded). Always
    escaped rich text, cut at ``limit`` characters, line breaks kept."""
    if not text:
        return ""
    if len(text) > limit:
        text = text[:limit] + "…"
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question whose text is shown as plain text (names in it stay names)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """A modal error sentence, as plain text."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
