"""The sidebar's list widget: conversations under their date-group headers, one row each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from desktop_chat.store import Conversation, Group
from desktop_chat.ui.chat.conversation_delegate import (
    ID_ROLE,
    PINNED_ROLE,
    TITLE_ROLE,
    ConversationDelegate,
    tooltip,
)


class ConversationList(QListWidget):
    """Rows carry the conversation's id, title and pin in item data; headers carry none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.delegate = ConversationDelegate(self)
        self.setItemDelegate(self.delegate)

    def group_label(self, group: Group) -> str:
        labels = {
            Group.PINNED: self.tr("Pinned"),
            Group.TODAY: self.tr("Today"),
            Group.YESTERDAY: self.tr("Yesterday"),
            Group.PREVIOUS_7_DAYS: self.tr("Previous 7 days"),
            Group.OLDER: self.tr("Older"),
        }
        return labels[group]

    def fill(self, groups: Iterable[tuple[Group, Sequence[Conversation]]]) -> None:
        """Replace every row with these groups, emitting no item signals while it does."""
        self.blockSignals(True)
        try:
            self.clear()
            for group, members in groups:
                self._add_header(self.group_label(group))
                for conversation in members:
                    self._add_conversation(conversation)
        finally:
            self.blockSignals(False)

    def _add_header(self, label: str) -> None:
        item = QListWidgetItem(label)
        # No flags: not selectable and skipped by keyboard navigation; QSS sees ::item:disabled.
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        item.setFont(self._header_font())
        self.addItem(item)

    def _header_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        return font

    def changeEvent(self, event: QEvent) -> None:
        # A header's font is fixed when it is added; when the app's size changes (kiosk view
        # and back, Settings → Appearance) the headers follow, or they kept kiosk's large type.
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            font = self._header_font()
            for row in range(self.count()):
                item = self.item(row)
                if item.flags() == Qt.ItemFlag.NoItemFlags:
                    item.setFont(font)

    def _add_conversation(self, conversation: Conversation) -> None:
        item = QListWidgetItem(conversation.title or self.tr("New chat"))
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        )
        item.setData(ID_ROLE, conversation.id)
        item.setData(TITLE_ROLE, conversation.title)
        item.setData(PINNED_ROLE, conversation.pinned)
        item.setToolTip(tooltip(conversation.title))
        self.addItem(item)

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(ID_ROLE) == conversation_id:
                return item
        return None

    def is_editing(self) -> bool:
        """A title is being renamed in place."""
        return self.state() == QAbstractItemView.State.EditingState
