"""The conversation list beside the chat: new chat, search, date groups, rename, pin, delete."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget

from desktop_chat.store import Store, StoreError, group_conversations
from desktop_chat.ui.chat.conversation_delegate import ID_ROLE, PINNED_ROLE, TITLE_ROLE, tooltip
from desktop_chat.ui.chat.conversation_list import ConversationList
from desktop_chat.ui.chat.conversation_menu import build_conversation_menu, is_menu_key, menu_anchor
from desktop_chat.ui.chat.search_dialog import SearchDialog
from desktop_chat.ui.chat.sidebar_undo import UndoStrip
from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)


class ConversationSidebar(QWidget):
    """Lists conversations (pinned, then by day), newest first; owns delete-with-undo."""

    conversation_selected = Signal(int)
    new_chat_requested = Signal()
    conversation_deleted = Signal(int)
    search_hit_activated = Signal(int, int)  # conversation id, message id (0: a title match)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.store = store
        self.clock: Callable[[], datetime] = datetime.now
        self._selected_id: int | None = None
        self._quiet = False
        self._restore_selection = False
        self._search_dialog: SearchDialog | None = None
        self._refresh_pending = False

        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.setObjectName("newChatButton")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.search_button = QPushButton(self.tr("Search chats…"))
        self.search_button.setObjectName("searchButton")
        self.search_button.setToolTip(self.tr("Search all conversations (Ctrl+K)"))

        self.list = ConversationList()
        self.delegate = self.list.delegate

        self.empty_label = plain_label(
            self.tr("No conversations yet.\nStart one with New chat (Ctrl+N).")
        )
        self.empty_label.setObjectName("hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.undo_strip = UndoStrip()
        self.undo_label = self.undo_strip.label
        self.undo_button = self.undo_strip.button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_button)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.undo_strip)

        self.undo_strip.expired.connect(self.flush_pending_delete)
        # Date groups go stale at midnight; regroup then without waiting for other changes.
        self._midnight_timer = QTimer(self)
        self._midnight_timer.setSingleShot(True)
        self._midnight_timer.timeout.connect(self.refresh)

        self.new_button.clicked.connect(self.new_chat_requested)
        self.search_button.clicked.connect(self.open_search)
        self.undo_strip.undo_requested.connect(self.undo_delete)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.customContextMenuRequested.connect(self._on_context_menu)
        self.delegate.menu_requested.connect(self._show_menu)
        self.delegate.closeEditor.connect(self._on_editor_closed)
        self.list.installEventFilter(self)
        self.refresh()

    @property
    def undo_ms(self) -> int:
        """How long a deleted conversation waits in the undo strip before it is purged."""
        return self.undo_strip.timeout_ms

    @undo_ms.setter
    def undo_ms(self, ms: int) -> None:
        self.undo_strip.timeout_ms = ms

    # -- contents ----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Reload from the store, keeping the selection and the scroll position.

        While a title is being renamed in place the reload waits for the editor to close:
        clearing the list under an open editor dropped the typed title and made Qt warn
        that the editor no longer belongs to the view."""
        if self.list.is_editing():
            self._refresh_pending = True
            return
        self._refresh_pending = False
        try:
            conversations = self.store.list_conversations()
        except StoreError:
            log.exception("could not list conversations")
            conversations = []
        now = self.clock()
        scroll = self.list.verticalScrollBar().value()
        self._quiet = True
        try:
            self.list.fill(group_conversations(conversations, now))
        finally:
            self._quiet = False
        if self._selected_id is not None and self._item_for(self._selected_id) is None:
            self._selected_id = None
        self._highlight(self._selected_id)
        self.list.verticalScrollBar().setValue(scroll)
        self.list.setVisible(bool(conversations))
        self.empty_label.setVisible(not conversations)
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
        self._midnight_timer.start(max(1000, int((tomorrow - now).total_seconds() * 1000)))

    def _item_for(self, conversation_id: int) -> QListWidgetItem | None:
        return self.list.item_for(conversation_id)

    def _highlight(self, conversation_id: int | None) -> None:
        item = self._item_for(conversation_id) if conversation_id is not None else None
        self._quiet = True
        try:
            if item is None:
                self.list.setCurrentRow(-1)
                self.list.clearSelection()
            else:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
        finally:
            self._quiet = False

    # -- selection -------------------------------------------------------------------------

    def current_id(self) -> int | None:
        return self._selected_id

    def select(self, conversation_id: int | None) -> None:
        """Highlight a conversation (or none) without emitting conversation_selected.

        An id not listed yet (a chat created a moment ago) is highlighted by the next refresh."""
        self._selected_id = conversation_id
        self._highlight(conversation_id)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if self._quiet or current is None or current.data(ID_ROLE) is None:
            return
        conversation_id = int(current.data(ID_ROLE))
        if conversation_id != self._selected_id:
            self._selected_id = conversation_id
            self.conversation_selected.emit(conversation_id)

    # -- rename, pin, delete -----------------------------------------------------------------

    def start_rename(self, conversation_id: int) -> None:
        """Open the inline editor on a conversation's title."""
        item = self._item_for(conversation_id)
        if item is not None:
            self.list.scrollToItem(item)
            self.list.editItem(item)

    @Slot()
    def _on_editor_closed(self) -> None:
        if self._refresh_pending:
            # Queued: the view leaves its editing state only after this signal returns.
            QTimer.singleShot(0, self.refresh)

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(ID_ROLE)
        if conversation_id is None:
            return
        old = item.data(TITLE_ROLE) or ""
        new = " ".join(item.text().split())
        self.list.blockSignals(True)
        try:
            if new and new != old:
                try:
                    self.store.rename_conversation(int(conversation_id), new)
                except StoreError:
                    log.exception("could not rename conversation %s", conversation_id)
                    new = old
            else:
                new = old
            item.setText(new or self.tr("New chat"))
            item.setData(TITLE_ROLE, new)
            item.setToolTip(tooltip(new))
        finally:
            self.list.blockSignals(False)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        try:
            self.store.set_pinned(conversation_id, pinned)
        except StoreError:
            log.exception("could not pin conversation %s", conversation_id)
        self.refresh()

    def delete(self, conversation_id: int) -> None:
        """Hide a conversation at once; it is purged when the undo strip times out."""
        self.flush_pending_delete()
        try:
            title = self.store.get_conversation(conversation_id).title
            self.store.delete_conversation(conversation_id)
        except StoreError:
            log.exception("could not delete conversation %s", conversation_id)
            self.refresh()
            return
        self.undo_strip.offer(conversation_id, title)
        self._restore_selection = conversation_id == self._selected_id
        if self._restore_selection:
            self._selected_id = None
        self.refresh()
        self.conversation_deleted.emit(conversation_id)

    @Slot()
    def undo_delete(self) -> None:
        conversation_id = self.undo_strip.take()
        if conversation_id is None:
            return
        try:
            self.store.restore_conversation(conversation_id)
        except StoreError:
            log.exception("could not restore conversation %s", conversation_id)
            self.refresh()
            return
        self.refresh()
        if self._restore_selection:
            # The chat pane cleared itself on conversation_deleted; bring the chat back.
            self.select(conversation_id)
            self.conversation_selected.emit(conversation_id)

    @Slot()
    def flush_pending_delete(self) -> None:
        """Purge the conversation waiting in the undo strip now (also call this at quit)."""
        conversation_id = self.undo_strip.take()
        if conversation_id is None:
            return
        try:
            self.store.purge_conversation(conversation_id)
        except StoreError:
            log.exception("could not purge conversation %s", conversation_id)

    def set_store(self, store: Store) -> None:
        """List ``store`` from now on (after Delete all my data), and search it too."""
        self.undo_strip.take()  # its conversation went with the old store
        self.store = store
        self._selected_id = None
        if self._search_dialog is not None:
            self._search_dialog.set_store(store)
        self.refresh()

    def pending_delete(self) -> int | None:
        """The conversation that Undo would bring back, if any."""
        return self.undo_strip.pending()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A key handler, not a QShortcut: it must not depend on the window being active,
        # and F2 / double-click renaming already come from the view's edit triggers.
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Delete)
            and self._selected_id is not None
        ):
            self.delete(self._selected_id)
            return True
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and is_menu_key(event)
            and not self.list.is_editing()
        ):
            self.open_menu_for_current()
            return True
        return super().eventFilter(watched, event)

    def open_menu_for_current(self) -> bool:
        """The focused row's "⋯" menu, opened from the keyboard (Menu key, Shift+F10)."""
        item = self.list.currentItem()
        if item is None or item.data(ID_ROLE) is None:
            return False
        anchor = menu_anchor(self.list.visualItemRect(item))
        self._show_menu(int(item.data(ID_ROLE)), self.list.viewport().mapToGlobal(anchor))
        return True

    # -- menus -----------------------------------------------------------------------------

    def build_menu(self, conversation_id: int) -> QMenu:
        """The actions for one conversation; each action's data() names its command."""
        item = self._item_for(conversation_id)
        pinned = bool(item.data(PINNED_ROLE)) if item is not None else False
        return build_conversation_menu(self, pinned)

    def run_command(self, conversation_id: int, command: str) -> None:
        """Carry out a menu command: rename, pin, unpin or delete."""
        if command == "rename":
            self.start_rename(conversation_id)
        elif command in ("pin", "unpin"):
            self.set_pinned(conversation_id, command == "pin")
        elif command == "delete":
            self.delete(conversation_id)

    @Slot(QPoint)
    def _on_context_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is not None and item.data(ID_ROLE) is not None:
            self._show_menu(int(item.data(ID_ROLE)), self.list.viewport().mapToGlobal(position))

    @Slot(int, QPoint)
    def _show_menu(self, conversation_id: int, global_position: QPoint) -> None:
        menu = self.build_menu(conversation_id)
        chosen = menu.exec(global_position)
        menu.deleteLater()
        if chosen is not None:
            self.run_command(conversation_id, str(chosen.data()))

    # -- search ----------------------------------------------------------------------------

    @property
    def search_dialog(self) -> SearchDialog | None:
        return self._search_dialog

    @Slot()
    def open_search(self) -> None:
        """Show the search dialog (window-modal, not blocking); it keeps the last query."""
        if self._search_dialog is None:
            self._search_dialog = SearchDialog(self.store, self)
            self._search_dialog.hit_activated.connect(self._on_search_hit)
        dialog = self._search_dialog
        if dialog.query_edit.text().strip():
            dialog.run_search()  # conversations may have changed since it was last open
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.open()

    @Slot(int, int)
    def _on_search_hit(self, conversation_id: int, message_id: int) -> None:
        self.select(conversation_id)
        self.search_hit_activated.emit(conversation_id, message_id)
