"""What the layout tests look for: text a widget cannot show whole, and a window's width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QWidget,
)

from desktop_chat.ui.chat.elided_label import ElidedLabel


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible label, button, combo box, spin box, tab or column title whose text is cut."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, ElidedLabel):
            continue  # cut on purpose, with "…", whole in its tooltip
        if isinstance(widget, QLabel):
            text = widget.text()
            if not text or widget.wordWrap() or widget.textFormat() != Qt.TextFormat.PlainText:
                continue
            if not widget.pixmap().isNull():
                continue
            need = max(widget.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
            have = widget.contentsRect().width() - 2 * max(0, widget.indent())
            if need > have + 1:
                found.append(f"{_name(widget)} {text!r}: needs {need} px, has {have}")
        elif isinstance(widget, QAbstractButton):
            if widget.text() and widget.width() < widget.sizeHint().width() - 1:
                found.append(
                    f"{_name(widget)} {widget.text()!r}: needs {widget.sizeHint().width()} px,"
                    f" has {widget.width()}"
                )
        elif isinstance(widget, QComboBox) and not getattr(widget, "elides", False):
            # What the closed box shows is its current choice; the popup lists the rest whole.
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            field = widget.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                widget,
            )
            need = widget.fontMetrics().horizontalAdvance(widget.currentText())
            if need > field.width() + 1:
                found.append(
                    f"{_name(widget)} {widget.currentText()!r}: needs {need} px, has {field.width()}"
                )
        elif isinstance(widget, QAbstractSpinBox):
            # A spin box at a special value ("Auto (…)") shows that text in its line edit,
            # which scrolls to the text's end when it is narrower: the start is lost.
            edit = widget.findChild(QLineEdit)
            if edit is None or not edit.text():
                continue
            margins = edit.textMargins()
            # QLineEdit draws its text 2 px inside its contents rect on either side.
            have = edit.contentsRect().width() - margins.left() - margins.right() - 4
            need = edit.fontMetrics().horizontalAdvance(edit.text())
            if need > have + 1:
                found.append(f"{_name(widget)} {edit.text()!r}: needs {need} px, has {have}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.tabRect(index).width() < widget.tabSizeHint(index).width() - 1:
                    found.append(f"{_name(widget)} tab {widget.tabText(index)!r}: cut")
        elif isinstance(widget, QHeaderView):
            model = widget.model()
            if model is None:
                continue
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                text = str(model.headerData(section, widget.orientation()) or "")
                need = widget.fontMetrics().horizontalAdvance(text) + 12
                horizontal = widget.orientation() == Qt.Orientation.Horizontal
                if horizontal and text and widget.sectionSize(section) < need:
                    found.append(f"column {text!r}: {widget.sectionSize(section)} < {need}")
    return found
