"""One chat message on screen: role, body (plain while streaming, Markdown when done), actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.ui.chat.inline_editor import InlineEditor
from desktop_chat.ui.chat.json_card import JsonCard, place_card
from desktop_chat.ui.chat.markdown import code_blocks, plain_to_html, split_for_rich_text, to_html
from desktop_chat.ui.chat.message_body import DocumentBody
from desktop_chat.ui.chat.message_render_queue import RenderQueue
from desktop_chat.ui.chat.message_streaming import StreamingBody
from desktop_chat.ui.chat.message_toolbar import MessageToolbar
from desktop_chat.ui.chat.thinking_block import ThinkingBlock
from desktop_chat.ui.chat.tool_card import ToolCard
from desktop_chat.ui.shell.widgets import plain_label

# A message this short renders at once; a longer one shows a plain preview of this much and
# renders when the queue reaches it, so opening a chat of long answers never waits for all.
SYNC_RENDER_CHARS = 2_000
# A card never asks for more than this, whatever its maximum width (see sizeHint).
WIDEST_HINT_PX = 4_000
# How much of a message its accessible description carries.
ACCESSIBLE_CHARS = 2_000
# How long a message a search jumped to stays outlined.
FOUND_MS = 2500


class MessageView(QFrame):
    """A message bubble. Streaming text is appended as plain text; Markdown renders once.

    Only the head of a long message is rendered as rich text (see split_for_rich_text); the
    rest is written as plain text, in chunks, when the user asks for it with "Show all".
    """

    copy_requested = Signal(str)
    action_requested = Signal(str, object)  # action name, message view
    link_hovered = Signal(str)  # the target under the pointer, "" when it leaves a link
    citation_clicked = Signal(int)  # a [n] marker in the answer was clicked: passage n (1-based)

    def __init__(
        self,
        role: str,
        text: str = "",
        *,
        theme: str = "light",
        streaming: bool = False,
        render_queue: RenderQueue | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.role = role
        self.text = text
        self.theme = theme
        self.streaming = streaming
        self.message_id: int | None = None
        self.render_queue = render_queue
        self.render_pending = False
        self.expanded = False
        self.tail = ""
        self.thinking_block: ThinkingBlock | None = None  # a thinking model's reasoning
        self.json_card: JsonCard | None = None  # a JSON answer, shown as a card
        self.tool_cards: list[ToolCard] = []  # the answer's tool calls, above its text
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        # A screen reader hears who speaks, then the message (see _describe).
        self.setAccessibleName(self._role_name(role))
        self.setProperty("role", role)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 8)
        layout.setSpacing(4)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.role_label = plain_label(self._role_name(role))
        self.role_label.setObjectName("roleLabel")
        header.addWidget(self.role_label)
        header.addStretch(1)
        self.branch_label = plain_label()
        self.branch_label.setObjectName("metaLabel")
        self.branch_label.hide()
        header.addWidget(self.branch_label)
        layout.addLayout(header)

        # One item in the bubble's layout, so widgets inserted after the body (the sources
        # under an answer) keep their place whatever the body holds.
        self.body_box = QWidget(self)
        box = QVBoxLayout(self.body_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.body = DocumentBody(self.body_box)
        self.body.setObjectName("messageBody")
        self.body.link_hovered.connect(self.link_hovered)
        self.body.citation_clicked.connect(self.citation_clicked)
        self.body.code_copy_requested.connect(self.copy_code)
        box.addWidget(self.body)
        self.stream_body: StreamingBody | None = None
        if streaming:
            self.stream_body = StreamingBody(theme, self.body_box)
            self.stream_body.link_hovered.connect(self.link_hovered)
            self.stream_body.citation_clicked.connect(self.citation_clicked)
            self.stream_body.code_copy_requested.connect(self.copy_code)
            self.stream_body.start(text)
            self.body.hide()
            box.addWidget(self.stream_body)
        # "Waiting for the first token… 12 s": what an answer with no text yet is doing.
        self.waiting_label = plain_label(parent=self.body_box)
        self.waiting_label.setObjectName("waitingLabel")
        self.waiting_label.hide()
        box.addWidget(self.waiting_label)
        self.show_all_button = QPushButton(self.body_box)
        self.show_all_button.setObjectName("linkButton")
        self.show_all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_all_button.clicked.connect(self.show_all)
        self.show_all_button.hide()
        box.addWidget(self.show_all_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body_box)

        self.toolbar = MessageToolbar(self, self._on_action, self.copy_plain)
        self.meta_label = self.toolbar.meta_label
        self.copy_button = self.toolbar.copy_button
        layout.addLayout(self.toolbar.row)
        self._render()

    def sizeHint(self) -> QSize:
        # As wide as its column may be: a centred card then fills it, up to the maximum.
        hint = super().sizeHint()
        return QSize(max(hint.width(), min(self.maximumWidth(), WIDEST_HINT_PX)), hint.height())

    def _role_name(self, role: str) -> str:
        return {
            "user": self.tr("You"),
            "assistant": self.tr("Assistant"),
            "system": self.tr("System"),
        }.get(role, role)

    def add_action(self, label: str, action: str) -> QToolButton:
        return self.toolbar.add_action(label, action)

    kiosk = False

    def set_kiosk(self, on: bool) -> None:
        """A customer sees the text and Copy: no editing, no statistics, no branches."""
        self.kiosk = on
        self.toolbar.set_kiosk(on)
        self.branch_label.setVisible(not on and bool(self.branch_label.text()))

    def action_button(self, action: str) -> QToolButton | None:
        return self.toolbar.actions.get(action)

    @Slot()
    def _on_action(self, action: str) -> None:
        if action == "copy":
            self._copy(self.text)
            self.copy_requested.emit(self.text)
        self.action_requested.emit(action, self)

    @Slot()
    def copy_plain(self) -> None:
        """The message as it reads on screen, without Markdown's marks."""
        body = self.stream_body if self.stream_body is not None else self.body
        text = body.toPlainText() if self.role == "assistant" else self.text
        if self.role == "assistant" and self.tail:
            text += "\n" + self.tail
        self._copy(text)

    @Slot(str)
    def copy_code(self, key: str) -> None:
        code = code_blocks(self.text).get(key)
        if code is not None:
            self._copy(code)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.toolbar.copied()

    # -- rendering -------------------------------------------------------------------------
    def _describe(self) -> None:
        self.setAccessibleDescription(self.text[:ACCESSIBLE_CHARS])

    def _render(self) -> None:
        self._describe()
        if self.stream_body is not None:
            self.copy_button.setEnabled(False)
            return
        self.copy_button.setEnabled(bool(self.text) and not self.streaming)
        shown = self.text if self.role == "assistant" and not self.streaming else ""
        self.json_card = place_card(self.body_box, self.body, self.json_card, shown, self.theme)
        if self.json_card is not None:
            return
        if self.render_queue is None or len(self.text) <= SYNC_RENDER_CHARS:
            self.render_now()
            return
        # A cheap preview of about the right look until the queue gets here.
        self.render_pending = True
        self.show_all_button.hide()
        self.body.set_plain(self.text[:SYNC_RENDER_CHARS])
        self.render_queue.schedule(self)

    def render_now(self) -> None:
        """Render the head of the text as rich text now (the queue calls this in turn)."""
        if self.render_queue is not None and self.render_pending:
            self.render_queue.discard(self)
        self.render_pending = False
        head, self.tail = split_for_rich_text(self.text)
        if self.role == "assistant":
            self.body.set_rich_text(to_html(head, self.theme))
        else:
            self.body.set_rich_text(plain_to_html(head))
        if self.tail and self.expanded:
            self.body.append_plain(self.tail, new_paragraph=True)
        self.show_all_button.setVisible(bool(self.tail) and not self.expanded)
        if self.tail:
            self.show_all_button.setText(
                self.tr("Show all ({count} more characters)").format(count=f"{len(self.tail):,}")
            )

    @Slot()
    def show_all(self) -> None:
        """Write the rest of a long message as plain text, a chunk per turn of the event loop."""
        if self.render_pending:
            self.render_now()
        if self.expanded or not self.tail:
            return
        self.expanded = True
        self.show_all_button.hide()
        self.body.append_plain(self.tail, new_paragraph=True)

    # -- streaming -------------------------------------------------------------------------
    def thinking(self) -> ThinkingBlock:
        """The collapsed block of reasoning above the answer, made when first needed."""
        if self.thinking_block is None:
            self.thinking_block = ThinkingBlock(self.theme, self.body_box)
            self.body_box.layout().insertWidget(0, self.thinking_block)
        return self.thinking_block

    def add_tool_call(self, record: dict[str, Any]) -> ToolCard:
        """A card for one tool call (a messages.tool_calls record), above the answer's text."""
        card = ToolCard(record, self.theme, self.body_box)
        at = len(self.tool_cards) + (1 if self.thinking_block is not None else 0)
        self.body_box.layout().insertWidget(at, card)
        self.tool_cards.append(card)
        return card

    def append(self, text: str) -> None:
        if self.thinking_block is not None and self.thinking_block.live and text:
            self.thinking_block.finish()  # the answer began: the model is done thinking
        self.text += text
        if self.stream_body is not None:
            self.stream_body.append_text(text)
        else:
            self._render()

    def finish(self, final_text: str | None = None) -> None:
        if final_text is not None:
            self.text = final_text
        self.streaming = False
        if self.stream_body is not None:
            self.body_box.layout().removeWidget(self.stream_body)
            self.stream_body.deleteLater()
            self.stream_body = None
            self.body.show()
        self._render()

    def set_text(self, text: str) -> None:
        self.text = text
        self.expanded = False
        if self.stream_body is not None:
            self.stream_body.start(text)
        else:
            self._render()

    # -- editing in place ----------------------------------------------------------------
    editor: InlineEditor | None = None

    def edit_inline(self, text: str) -> InlineEditor:
        """Show the question in an editor where its text was; end_edit() puts the text back."""
        self.end_edit()
        self.editor = InlineEditor(text, self.body_box)
        self.body_box.layout().insertWidget(0, self.editor)
        self.body.hide()
        self.editor.show()
        self.editor.focus()
        return self.editor

    def end_edit(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            self.body_box.layout().removeWidget(editor)
            editor.deleteLater()
            self.body.show()

    def set_waiting(self, text: str) -> None:
        """Say what the answer waits for ("" once its text comes)."""
        self.waiting_label.setText(text)
        self.waiting_label.setVisible(bool(text))

    def set_meta(self, text: str) -> None:
        self.meta_label.setText(text)

    def set_branch(self, index: int, count: int) -> None:
        self.branch_label.setVisible(count > 1 and not self.kiosk)
        self.branch_label.setText(f"{index} / {count}")

    def flash(self, ms: int = FOUND_MS) -> None:
        """Outline the message for a moment: the one a search jumped to."""
        self._set_found(True)
        if self._found_timer is None:
            self._found_timer = QTimer(self)
            self._found_timer.setSingleShot(True)
            self._found_timer.timeout.connect(lambda: self._set_found(False))
        self._found_timer.start(ms)

    _found_timer: QTimer | None = None

    def _set_found(self, found: bool) -> None:
        self.setProperty("found", found)
        self.style().unpolish(self)
        self.style().polish(self)

    def set_dimmed(self, dimmed: bool) -> None:
        """Messages outside the model's context window are shown faded."""
        self.setProperty("dimmed", dimmed)
        self.setToolTip(self.tr("No longer in the model's context window") if dimmed else "")
        self.style().unpolish(self)
        self.style().polish(self)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        if self.thinking_block is not None:
            self.thinking_block.set_theme(theme)
        for card in self.tool_cards:
            card.set_theme(theme)
        self._render()
