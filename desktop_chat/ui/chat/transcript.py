"""The scrolling list of messages, with streamed text flushed on a timer, not per token."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPixmap, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.ui.chat.message_body import DocumentBody
from desktop_chat.ui.chat.message_render_queue import RenderQueue
from desktop_chat.ui.chat.message_view import MessageView

FLUSH_INTERVAL_MS = 40
CENTRED = Qt.AlignmentFlag.AlignHCenter
# Only the newest messages get widgets; older ones come in pages as the user scrolls up.
PAGE_SIZE = 40
LOGO_MAX_PX = 160
# A height change travels up one widget level per posted layout request (body, its box, the
# card, the column, the scroll range): this many rounds settle the deepest card we nest.
SETTLE_ROUNDS = 8


class Transcript(QScrollArea):
    """Shows messages; keeps the view pinned to the bottom while the user has not scrolled up."""

    load_earlier_requested = Signal()
    message_action = Signal(str, object)
    link_hovered = Signal(str)  # a link's target under the pointer, for a status line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._content.setObjectName("transcriptContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._layout.setSpacing(12)
        self._earlier = QPushButton(self.tr("Show earlier messages"))
        self._earlier.setObjectName("linkButton")
        self._earlier.hide()
        self._earlier.clicked.connect(self.load_earlier_requested)
        self._layout.addWidget(self._earlier, 0, Qt.AlignmentFlag.AlignHCenter)
        # The welcome text holds names (a model's file name, a profile's greeting): it is
        # shown on a document that loads nothing, whatever markup those names carry.
        # Kiosk view's shop logo, above the welcome text.
        self.logo = QLabel()
        self.logo.setTextFormat(Qt.TextFormat.PlainText)  # it only ever holds the image
        self.logo.setObjectName("kioskLogo")
        self.logo.setAlignment(CENTRED)
        self.logo.hide()
        self._layout.addWidget(self.logo)
        self._placeholder = DocumentBody()
        self._placeholder.setObjectName("placeholder")
        centred = QTextOption(self._placeholder.document().defaultTextOption())
        centred.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._placeholder.document().setDefaultTextOption(centred)
        self._layout.addWidget(self._placeholder)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        self.views: list[MessageView] = []
        self._logo_path = ""
        self.theme = "light"
        self.max_width = 860
        self.render_queue = RenderQueue(self)
        self.render_queue.batch_started.connect(self._settle)
        self.render_queue.batch_finished.connect(self._settle_in_place)
        # The reader's place while scrolled up: the first message at or under the top of the
        # view, and how far its top is from the view's. Every relayout puts it back there.
        self._anchor: tuple[MessageView, int] | None = None
        self._placing = False  # the scroll value is being set by us, not by the reader

        self._pending: list[str] = []
        self._streaming: MessageView | None = None
        self._stick_to_bottom = True
        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        # Until an answer's first text: what it waits for, and for how long.
        self._waiting = ""  # "sources" or "first token" ("" when not waiting)
        self._waiting_since = 0.0
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._show_waiting)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- content ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.flush()
        self._flush_timer.stop()
        self._streaming = None
        self._wait_for("")
        self.render_queue.clear()
        for view in self.views:
            self._layout.removeWidget(view)
            view.hide()  # not painted over the next chat while it waits to be deleted
            view.deleteLater()
        self.views.clear()
        self._anchor = None
        self._stick_to_bottom = True

    def set_placeholder(self, html: str) -> None:
        self._placeholder.set_rich_text(html)
        self._placeholder.setVisible(bool(html) and not self.views)
        self.logo.setVisible(not self.logo.pixmap().isNull() and not self.views)

    def set_logo(self, path: str) -> None:
        """The logo shown over a fresh conversation ("" or an unreadable image: none)."""
        if path == self._logo_path:
            return
        self._logo_path = path
        image = QPixmap(path) if path else QPixmap()
        if not image.isNull():
            image = image.scaled(
                LOGO_MAX_PX,
                LOGO_MAX_PX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.logo.setPixmap(image)
        self.logo.setVisible(not image.isNull() and not self.views)

    def set_has_earlier(self, has_earlier: bool) -> None:
        self._earlier.setVisible(has_earlier)

    def _new_view(self, role: str, text: str, *, streaming: bool = False) -> MessageView:
        view = MessageView(
            role, text, theme=self.theme, streaming=streaming, render_queue=self.render_queue
        )
        view.setMaximumWidth(self.max_width)
        # As wide as the column allows, centred in a wider window (kiosk view, big screens).
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        view.set_kiosk(self.kiosk)
        view.action_requested.connect(self.message_action)
        view.link_hovered.connect(self.link_hovered)
        return view

    def add_message(self, role: str, text: str, *, streaming: bool = False) -> MessageView:
        view = self._new_view(role, text, streaming=streaming)
        # Index: after the "earlier" button and placeholder, before the stretch.
        self._layout.insertWidget(self._layout.count() - 1, view, 0, CENTRED)
        self.views.append(view)
        self._placeholder.hide()
        self.logo.hide()
        self._stick_to_bottom = True
        return view

    def prepend_messages(self, items: list[tuple[str, str]]) -> list[MessageView]:
        """Insert older messages above the current ones, keeping the reader's place."""
        if self._anchor is None:
            self._note_place()
        created = []
        for offset, (role, text) in enumerate(items):
            view = self._new_view(role, text)
            self._layout.insertWidget(3 + offset, view, 0, CENTRED)  # after earlier, logo, welcome
            # Shown now: a layout skips hidden widgets, and one added to a shown parent is
            # only shown on a later turn of the event loop, after the place is restored.
            view.show()
            created.append(view)
        self.views[:0] = created
        self._settle_in_place()
        return created

    def remove_view(self, view: MessageView) -> None:
        self.render_queue.discard(view)
        if view in self.views:
            self.views.remove(view)
        if self._anchor is not None and self._anchor[0] is view:
            self._note_place()  # the next message down holds the place, from where it is now
        self._layout.removeWidget(view)
        view.hide()
        view.deleteLater()

    # -- streaming -------------------------------------------------------------------------
    def begin_stream(self) -> MessageView:
        self.flush()
        pending = self._streaming
        if pending is not None and pending.message_id is None and not pending.text:
            self._streaming = pending  # the card that waited for the sources
        else:
            self._streaming = self.add_message("assistant", "", streaming=True)
        self._flush_timer.start()
        self._wait_for("first token")
        return self._streaming

    def wait_for_sources(self) -> None:
        """An answer card that says the knowledge base is being read, before the answer."""
        if self._streaming is None:
            self._streaming = self.add_message("assistant", "", streaming=True)
        self._wait_for("sources")

    def drop_unstarted(self) -> None:
        """Remove a card still waiting for its sources (the lookup was stopped or failed)."""
        view = self._streaming
        if view is not None and self._waiting == "sources":
            self._streaming = None
            self._wait_for("")
            self.remove_view(view)

    def _wait_for(self, what: str) -> None:
        self._waiting = what
        self._waiting_since = time.monotonic()
        if what:
            self._wait_timer.start()
        else:
            self._wait_timer.stop()
        self._show_waiting()

    @Slot()
    def _show_waiting(self) -> None:
        view = self._streaming
        if view is None or not self._waiting or view.text:
            if view is not None:
                view.set_waiting("")
            self._waiting = ""
            self._wait_timer.stop()
            return
        seconds = int(time.monotonic() - self._waiting_since)
        if self._waiting == "sources":
            text = self.tr("Reading sources… {seconds} s")
        else:
            text = self.tr("Waiting for the first token… {seconds} s")
        view.set_waiting(text.format(seconds=seconds))

    @property
    def waiting(self) -> str:
        return self._waiting

    def append_stream(self, text: str) -> None:
        """Queue text for the streaming message; the timer writes it in batches."""
        self._pending.append(text)

    def append_reasoning(self, text: str) -> None:
        """A thinking model's reasoning for the streaming message: into its thought block."""
        self.flush()  # answer text queued before it goes first
        if self._streaming is None or not text:
            return
        self._streaming.thinking().append(text)
        if self._waiting:
            self._wait_for("")  # the model is writing: it no longer waits for a first token

    @Slot()
    def flush(self) -> None:
        if self._pending and self._streaming is not None:
            self._streaming.append("".join(self._pending))
            if self._waiting and self._streaming.text:
                self._show_waiting()  # the first text: the card stops saying it waits
        self._pending.clear()

    def end_stream(self, final_text: str | None = None) -> MessageView | None:
        self.flush()
        self._flush_timer.stop()
        view, self._streaming = self._streaming, None
        self._wait_for("")
        if view is not None:
            view.set_waiting("")
            view.finish(final_text)
        return view

    @property
    def streaming_view(self) -> MessageView | None:
        return self._streaming

    # -- scrolling -------------------------------------------------------------------------
    def _note_place(self) -> None:
        """Remember the message the reader sees at the top of the view, and where."""
        self._anchor = None
        if self._stick_to_bottom:
            return
        top = self.verticalScrollBar().value()
        anchor = next(
            (v for v in self.views if v.isVisible() and v.geometry().bottom() >= top), None
        )
        if anchor is not None:
            self._anchor = (anchor, anchor.y() - top)

    def _keep_place(self) -> None:
        """Scroll so that the remembered message is where the reader last saw it."""
        bar = self.verticalScrollBar()
        if self._anchor is None or self._stick_to_bottom or bar.isSliderDown():
            return
        view, offset = self._anchor
        if view not in self.views:
            self._anchor = None
            return
        # Past a maximum not yet grown this is clamped; the range change brings it back.
        self._placing = True
        try:
            bar.setValue(view.y() - offset)
        finally:
            self._placing = False

    @Slot()
    def _settle(self) -> None:
        """Lay out now what waits to be: new and re-rendered cards, then the scroll range.

        Read before this, the cards' places and the scroll range are those of before the
        change; a place set against them is clamped or lands a screen away.
        """
        for _ in range(SETTLE_ROUNDS):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self._layout.activate()
            # What the scroll area does on its own layout request: size the column, set the
            # range (whose change puts the reader back in place, see _on_range_changed).
            QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LayoutRequest))

    @Slot()
    def _settle_in_place(self) -> None:
        self._settle()
        self._keep_place()

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._stick_to_bottom:
            self._placing = True
            try:
                self.verticalScrollBar().setValue(maximum)
            finally:
                self._placing = False
        else:
            self._keep_place()

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if self._placing:
            return
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 24
        self._note_place()
        if value == bar.minimum() and self._earlier.isVisible() and bar.maximum() > 0:
            self.load_earlier_requested.emit()

    def scroll_to_view(self, view: MessageView) -> None:
        self._stick_to_bottom = False
        self.ensureWidgetVisible(view, 0, 40)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        for view in self.views:
            view.set_theme(theme)

    kiosk = False

    def set_kiosk(self, on: bool) -> None:
        self.kiosk = on
        for view in self.views:
            view.set_kiosk(on)

    def set_max_width(self, width: int) -> None:
        self.max_width = width
        for view in self.views:
            view.setMaximumWidth(width)
