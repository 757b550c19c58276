"""The chat's attached documents: a 📎 button beside the composer and a chip per document
above it (name, how it is used or why it failed, × to remove); the work is chat/attachments."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QStyle,
    QToolButton,
    QWidget,
)

from desktop_chat.chat.controller import ChatController
from desktop_chat.store import Attachment
from desktop_chat.ui.shell.widgets import plain_label, plain_tooltip

DOCUMENT_FILTER = "*.pdf *.docx *.md *.markdown *.txt *.text *.html *.htm *.csv"


@lru_cache(maxsize=1)
def has_emoji_font() -> bool:
    """Whether some installed font draws emoji (Linux may have none; fallback is not a given)."""
    return any("emoji" in family.lower() for family in QFontDatabase.families())


class AttachmentChip(QFrame):
    """One attached document: its name and state, and × to remove it."""

    def __init__(self, attachment: Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setObjectName("attachmentChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("failed", attachment.mode == "failed")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.setSpacing(4)
        self.label = plain_label(self._text(attachment))
        self.label.setObjectName("fieldError" if attachment.mode == "failed" else "metaLabel")
        self.label.setWordWrap(attachment.mode == "failed")
        self.label.setToolTip(plain_tooltip(attachment.error or attachment.path))
        layout.addWidget(self.label, 1)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("messageAction")
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.setToolTip(self.tr("Remove from this chat"))
        self.remove_button.setAccessibleName(
            self.tr("Remove {name} from this chat").format(name=attachment.name)
        )
        layout.addWidget(self.remove_button)

    def _text(self, attachment: Attachment, progress: tuple[int, int] | None = None) -> str:
        name = attachment.name
        if attachment.mode == "whole":
            return self.tr("{name} · read in full").format(name=name)
        if attachment.mode == "indexed":
            return self.tr("{name} · searched for each question").format(name=name)
        if attachment.mode == "failed":
            return f"{name} — {attachment.error}"
        if progress is not None and progress[1] > 0:
            percent = min(100, int(progress[0] * 100 / progress[1]))
            return self.tr("{name} · reading… {percent} %").format(name=name, percent=percent)
        return self.tr("{name} · reading…").format(name=name)

    def show_progress(self, done: int, total: int) -> None:
        self.label.setText(self._text(self.attachment, (done, total)))


class AttachmentBar(QWidget):
    """Chips for the open conversation's documents; ``button`` (📎) goes beside the composer.

    Files come from the button's file dialog or from a drop on the composer (attach_files)."""

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentBar")
        self.controller = controller
        self.service = controller.attachments
        self.chips: list[AttachmentChip] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.button = QToolButton()
        self.button.setObjectName("attachButton")
        if has_emoji_font():
            self.button.setText("📎")
        else:  # a box instead of a paperclip would say nothing
            self.button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
            self.button.setText(self.tr("Attach"))
            self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setAutoRaise(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setToolTip(
            self.tr("Attach a document (PDF, Word, Markdown, text, HTML, CSV) to this chat")
        )
        self.button.setAccessibleName(self.tr("Attach a document"))
        self.button.clicked.connect(self.choose)
        # Tests replace this to answer the file dialog.
        self.ask_files = self._ask_files
        self.service.changed.connect(self._on_changed)
        self.service.progress.connect(self._on_progress)
        controller.conversation_changed.connect(self._on_conversation_changed)
        self.refresh()

    @Slot()
    def choose(self) -> None:
        self.attach_files(self.ask_files())

    def _ask_files(self) -> list[str]:
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach documents"),
            "",
            self.tr("Documents ({patterns});;All files (*)").format(patterns=DOCUMENT_FILTER),
        )
        return names

    def attach_files(self, files: Iterable[str | Path]) -> None:
        """Attach each file to the open chat (a new chat is stored for them first)."""
        for file in files:
            self.service.attach(self.controller, Path(file))
        self.refresh()

    def refresh(self) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.hide()  # at once: deletion waits for the event loop
            chip.deleteLater()
        self.chips = []
        for attachment in self.service.list(self.controller.conversation_id):
            chip = AttachmentChip(attachment, self)
            chip.remove_button.clicked.connect(
                lambda _checked=False, attachment_id=attachment.id: self.remove(attachment_id)
            )
            self._layout.insertWidget(len(self.chips), chip)
            self.chips.append(chip)
        self.setVisible(bool(self.chips))

    def remove(self, attachment_id: int) -> None:
        self.service.remove(attachment_id)
        self.refresh()

    @Slot(int)
    def _on_changed(self, conversation_id: int) -> None:
        if conversation_id == self.controller.conversation_id:
            self.refresh()

    @Slot(object)
    def _on_conversation_changed(self, _conversation_id: object) -> None:
        self.refresh()

    @Slot(int, object)
    def _on_progress(self, attachment_id: int, value: object) -> None:
        if not (isinstance(value, tuple) and len(value) == 2):
            return
        for chip in self.chips:
            if chip.attachment.id == attachment_id:
                chip.show_progress(int(value[0]), int(value[1]))
