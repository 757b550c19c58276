"""One chat message on screen: role, body (plain while streaming, Markdown when done), actions."""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.ui.chat.markdown import plain_to_html, to_html


class StreamingBody(QTextEdit):
    """The body of an answer while it streams: text is appended at the end, never re-set.

    Re-setting a label's whole text on every flush costs time in proportion to the answer
    (90 ms a flush at 25,000 characters, measured); appending to a document lays out only
    the end. The finished answer is rendered once as Markdown in the label instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("streamingBody")
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height(self.document().size())

    def append_text(self, text: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)

    @Slot(QSizeF)
    def _fit_height(self, size: QSizeF) -> None:
        self.setFixedHeight(max(self.fontMetrics().lineSpacing(), int(size.height()) + 2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.document().setTextWidth(self.viewport().width())


class MessageView(QFrame):
    """A message bubble. Streaming text is appended as plain text; Markdown renders once."""

    copy_requested = Signal(str)
    action_requested = Signal(str, object)  # action name, message view

    def __init__(
        self,
        role: str,
        text: str = "",
        *,
        theme: str = "light",
        streaming: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.role = role
        self.text = text
        self.theme = theme
        self.streaming = streaming
        self.message_id: int | None = None
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        self.setProperty("role", role)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 8)
        layout.setSpacing(4)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.role_label = QLabel(self._role_name(role))
        self.role_label.setObjectName("roleLabel")
        header.addWidget(self.role_label)
        header.addStretch(1)
        self.branch_label = QLabel()
        self.branch_label.setObjectName("metaLabel")
        self.branch_label.hide()
        header.addWidget(self.branch_label)
        layout.addLayout(header)

        self.body = QLabel()
        self.body.setObjectName("messageBody")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.body.setOpenExternalLinks(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.body)
        self.stream_body: StreamingBody | None = None
        if streaming:
            self.stream_body = StreamingBody(self)
            self.stream_body.setPlainText(text)
            self.body.hide()
            layout.addWidget(self.stream_body)

        footer = QHBoxLayout()
        footer.setSpacing(4)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("metaLabel")
        footer.addWidget(self.meta_label)
        footer.addStretch(1)
        self.copy_button = self._tool(self.tr("Copy"), "copy")
        footer.addWidget(self.copy_button)
        layout.addLayout(footer)
        self._actions: dict[str, QToolButton] = {"copy": self.copy_button}
        self._render()

    def _role_name(self, role: str) -> str:
        return {
            "user": self.tr("You"),
            "assistant": self.tr("Assistant"),
            "system": self.tr("System"),
        }.get(role, role)

    def _tool(self, label: str, action: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(label)
        button.setObjectName("messageAction")
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self._on_action(action))
        return button

    def add_action(self, label: str, action: str) -> QToolButton:
        button = self._tool(label, action)
        footer = self.layout().itemAt(self.layout().count() - 1).layout()
        footer.insertWidget(footer.count() - 1, button)
        self._actions[action] = button
        return button

    def action_button(self, action: str) -> QToolButton | None:
        return self._actions.get(action)

    @Slot()
    def _on_action(self, action: str) -> None:
        if action == "copy":
            QGuiApplication.clipboard().setText(self.text)
            self.copy_requested.emit(self.text)
        self.action_requested.emit(action, self)

    def _render(self) -> None:
        if self.stream_body is not None:
            self.copy_button.setEnabled(False)
            return
        if self.role != "assistant":
            self.body.setText(plain_to_html(self.text) or "&nbsp;")
        else:
            self.body.setText(to_html(self.text, self.theme))
        self.copy_button.setEnabled(bool(self.text) and not self.streaming)

    # -- streaming -------------------------------------------------------------------------
    def append(self, text: str) -> None:
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
            self.layout().removeWidget(self.stream_body)
            self.stream_body.deleteLater()
            self.stream_body = None
            self.body.show()
        self._render()

    def set_text(self, text: str) -> None:
        self.text = text
        if self.stream_body is not None:
            self.stream_body.setPlainText(text)
        else:
            self._render()

    def set_meta(self, text: str) -> None:
        self.meta_label.setText(text)

    def set_branch(self, index: int, count: int) -> None:
        self.branch_label.setVisible(count > 1)
        self.branch_label.setText(f"{index} / {count}")

    def set_dimmed(self, dimmed: bool) -> None:
        """Messages outside the model's context window are shown faded."""
        self.setProperty("dimmed", dimmed)
        self.setToolTip(self.tr("No longer in the model's context window") if dimmed else "")
        self.style().unpolish(self)
        self.style().polish(self)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._render()
