"""The "Thought for 12 s" block above an answer: a thinking model's reasoning, collapsed."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from desktop_chat.ui.shell.theme import PALETTES, resolve
from desktop_chat.ui.shell.widgets import plain_label

TICK_MS = 1000  # the live "Thinking… n s" counts whole seconds


class ThinkingBlock(QFrame):
    """Collapsed to one line; a click shows the reasoning. While the model thinks, it says
    so with the seconds so far, and the text grows in it when expanded."""

    def __init__(self, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinkingBlock")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.text = ""
        self.expanded = False
        self.live = False
        self.seconds: float | None = None
        self._began = 0.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        self.header = QToolButton(self)
        self.header.setObjectName("thinkingHeader")
        self.header.setAutoRaise(True)
        self.header.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header.clicked.connect(self.toggle)
        layout.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        self.body: QLabel = plain_label(parent=self)
        self.body.setObjectName("thinkingText")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.hide()
        layout.addWidget(self.body)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_header)
        self.set_theme(theme)
        self._show_header()

    # -- what the model thought ------------------------------------------------------------
    def start_live(self) -> None:
        """The model is thinking now: count the seconds until ``finish``."""
        if not self.live:
            self.live, self._began = True, time.monotonic()
            self._tick.start()
            self._show_header()

    def append(self, text: str) -> None:
        self.start_live()
        self.text += text
        if self.expanded:
            self.body.setText(self.text.strip())

    def set_text(self, text: str) -> None:
        self.text = text
        if self.expanded:
            self.body.setText(self.text.strip())
        self._show_header()

    def finish(self, seconds: float | None = None) -> None:
        """The model stopped thinking (``seconds``: as stored; else as measured here)."""
        if self.live:
            measured = time.monotonic() - self._began
            self.seconds = measured if seconds is None else seconds
        elif seconds is not None:
            self.seconds = seconds
        self.live = False
        self._tick.stop()
        self._show_header()

    @Slot()
    def toggle(self) -> None:
        self.set_expanded(not self.expanded)

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        if expanded:
            self.body.setText(self.text.strip())
        self.body.setVisible(expanded)
        self._show_header()

    # -- looks -----------------------------------------------------------------------------
    @Slot()
    def _show_header(self) -> None:
        arrow = "▾" if self.expanded else "▸"
        if self.live:
            seconds = int(time.monotonic() - self._began)
            words = self.tr("Thinking… {n} s").format(n=seconds)
        elif self.seconds is not None:
            words = self.tr("Thought for {n} s").format(n=max(1, round(self.seconds)))
        else:
            words = self.tr("Thoughts")
        self.header.setText(f"{arrow} {words}")
        self.header.setToolTip(
            self.tr("Hide the model's reasoning")
            if self.expanded
            else self.tr("Show what the model thought before answering")
        )

    def set_theme(self, theme: str) -> None:
        p = PALETTES[resolve(theme)]
        self.setStyleSheet(
            f"#thinkingBlock {{ background: {p['side']}; border-left: 3px solid {p['border']};"
            " border-radius: 4px; }"
            f"#thinkingHeader {{ color: {p['muted']}; border: none; padding: 2px 0; }}"
            f"#thinkingHeader:hover {{ color: {p['accent']}; }}"
            f"#thinkingText {{ color: {p['muted']}; }}"
        )
