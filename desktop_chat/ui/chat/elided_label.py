"""A one-line plain-text label that gives way: cut with "…" to its width, whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from desktop_chat.ui.shell.widgets import plain_tooltip

# However long its text, the label asks for no more than this (a layout may give it more).
MAX_HINT_PX = 480


class ElidedLabel(QLabel):
    """Never widens its window for a long text: the layout sets the width, the text is cut.

    ``text()`` stays the whole text; only the painting is cut, with "…". The tooltip and the
    accessible name carry the whole text, so nothing is hidden from the user.
    """

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self._mode = mode
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setAccessibleName(text)
        self._update_tooltip()

    def shown_text(self) -> str:
        """What is painted: the text, cut to the width with "…" when it does not fit."""
        width = max(0, self.contentsRect().width())
        return self.fontMetrics().elidedText(self.text(), self._mode, width)

    @property
    def elided(self) -> bool:
        return self.shown_text() != self.text()

    def _update_tooltip(self) -> None:
        self.setToolTip(plain_tooltip(self.text()) if self.elided else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
        painter.end()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(MAX_HINT_PX, hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())
