"""What the theme test measures: text against its background, as the window paints them."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

MIN_CONTRAST = 4.5  # WCAG 2 AA for body text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    r, g, b = (_channel(v) for v in (colour.red(), colour.green(), colour.blue()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def painted_contrast(image: QImage, rect: QRect) -> float | None:
    """The contrast of the most distinct colour in ``rect`` against its most common one."""
    rect = rect & image.rect()
    if rect.width() < 2 or rect.height() < 2:
        return None
    step = max(1, (rect.width() * rect.height()) // 40_000)
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1, step):
            counts[image.pixel(x, y)] += 1
    if len(counts) < 2:
        return None  # nothing painted on the background (an empty label)
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(background, QColor.fromRgb(rgb)) for rgb in counts)


def _text_rects(widget: QWidget) -> list[tuple[str, QRect]]:
    if isinstance(widget, QLabel):
        if widget.text().strip() and widget.pixmap().isNull():
            return [(widget.text()[:40], widget.contentsRect())]
    elif isinstance(widget, QAbstractButton):
        if widget.text().strip():
            return [(widget.text()[:40], widget.rect())]
    elif isinstance(widget, QComboBox):
        if widget.currentText():
            return [(widget.currentText()[:40], widget.rect())]
    elif isinstance(widget, QLineEdit):
        if widget.text():
            return [(widget.text()[:40], widget.rect())]
    elif isinstance(widget, QTabBar):
        return [(widget.tabText(i), widget.tabRect(i)) for i in range(widget.count())]
    elif isinstance(widget, QTextEdit):
        if widget.toPlainText().strip():
            return [(widget.toPlainText()[:40], widget.rect())]
    elif isinstance(widget, QAbstractItemView):
        model = widget.model()
        if model is not None and model.rowCount():
            return [("items", widget.rect())]
    return []


def low_contrast(window: QWidget) -> list[str]:
    """Each visible, enabled text in ``window`` painted under MIN_CONTRAST, with its ratio."""
    image = window.grab().toImage()
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled():
            continue
        visible = widget.visibleRegion().boundingRect()
        for text, rect in _text_rects(widget):
            shown = rect & visible
            if shown.isEmpty():
                continue
            where = QRect(widget.mapTo(window, shown.topLeft()), shown.size())
            ratio = painted_contrast(image, where)
            if ratio is not None and ratio < MIN_CONTRAST:
                name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
                found.append(f"{name} {text!r}: {ratio:.2f}:1")
    return found
