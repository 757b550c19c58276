"""The conversation sidebar over a real store: groups, selection, rename, pin, delete and undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_chat.store import NotFoundError, Store, open_store
from desktop_chat.ui.chat.sidebar import ID_ROLE, ConversationSidebar

# The offscreen platform warns whenever a shown top-level window's size limits change,
# and (for popup menus) that it cannot raise windows or grab the keyboard.
SIZE_HINTS = r"This plugin does not support propagateSizeHints\(\)"
POPUPS = r"This plugin does not support (raise\(\)|grabbing the keyboard)"
pytestmark = pytest.mark.qt_log_ignore(SIZE_HINTS)

# Noon keeps "today" and "yesterday" stable whenever the tests run.
NOW = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)


def ago(**delta: float) -> float:
    return (NOW - timedelta(**delta)).timestamp()


@pytest.fixture
def store() -> Iterator[Store]:
    store, notice = open_store()
    assert notice is None
    yield store
    store.close()


@pytest.fixture
def make_sidebar(qtbot, store):
    def make() -> ConversationSidebar:
        sidebar = ConversationSidebar(store)
        qtbot.addWidget(sidebar)
        sidebar.clock = lambda: NOW
        sidebar.refresh()
        sidebar.resize(280, 600)
        sidebar.show()
        return sidebar

    return make


def rows(sidebar: ConversationSidebar) -> list[str]:
    """Headers as "# Name", conversations as their shown text."""
    items = [sidebar.list.item(row) for row in range(sidebar.list.count())]
    return [item.text() if item.data(ID_ROLE) else f"# {item.text()}" for item in items]


def click(qtbot, sidebar: ConversationSidebar, conversation_id: int) -> None:
    item = sidebar._item_for(conversation_id)
    assert item is not None
    rect = sidebar.list.visualItemRect(item)
    qtbot.mouseClick(sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_empty_state(make_sidebar):
    sidebar = make_sidebar()
    assert sidebar.empty_label.isVisible()
    assert "No conversations yet" in sidebar.empty_label.text()
    assert not sidebar.list.isVisible()
    assert sidebar.current_id() is None


def test_groups_newest_first_with_pinned_on_top(store, make_sidebar):
    store.create_conversation("older", now=ago(days=40))
    store.create_conversation("this week", now=ago(days=3))
    store.create_conversation("yesterday", now=ago(days=1))
    store.create_conversation("this morning", now=ago(hours=3))
    store.create_conversation("just now", now=ago(minutes=1))
    store.create_conversation("pinned long ago", now=ago(days=90), pinned=True)
    sidebar = make_sidebar()
    assert rows(sidebar) == [
        "# Pinned",
        "pinned long ago",
        "# Today",
        "just now",
        "this morning",
        "# Yesterday",
        "yesterday",
        "# Previous 7 days",
        "this week",
        "# Older",
        "older",
    ]
    assert not sidebar.empty_label.isVisible()
    header = sidebar.list.item(0)
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable


def test_clicking_emits_the_id_and_select_does_not(qtbot, store, make_sidebar):
    first = store.create_conversation("first", now=ago(hours=2))
    second = store.create_conversation("second", now=ago(hours=1))
    sidebar = make_sidebar()
    with qtbot.waitSignal(sidebar.conversation_selected) as blocker:
        click(qtbot, sidebar, first.id)
    assert blocker.args == [first.id]
    assert sidebar.current_id() == first.id
    with qtbot.assertNotEmitted(sidebar.conversation_selected):
        sidebar.select(second.id)
        sidebar.select(None)
    assert sidebar.current_id() is None
    assert sidebar.list.selectedItems() == []


def test_keyboard_moves_between_conversations_skipping_headers(qtbot, store, make_sidebar):
    store.create_conversation("yesterday", now=ago(days=1))
    today = store.create_conversation("today", now=ago(hours=1))
    sidebar = make_sidebar()
    sidebar.select(today.id)
    sidebar.list.setFocus()
    with qtbot.waitSignal(sidebar.conversation_selected) as blocker:
        qtbot.keyClick(sidebar.list, Qt.Key.Key_Down)
    assert blocker.args != [today.id]
    assert sidebar.list.currentItem().text() == "yesterday"


def test_refresh_keeps_the_selection(store, make_sidebar):
    kept = store.create_conversation("kept", now=ago(hours=2))
    sidebar = make_sidebar()
    sidebar.select(kept.id)
    store.create_conversation("newer", now=ago(minutes=5))
    sidebar.refresh()
    assert sidebar.current_id() == kept.id
    assert sidebar.list.currentItem().data(ID_ROLE) == kept.id
    assert rows(sidebar) == ["# Today", "newer", "kept"]


def test_select_before_the_conversation_is_listed(store, make_sidebar):
    sidebar = make_sidebar()
    created = store.create_conversation("")
    sidebar.select(created.id)
    sidebar.refresh()
    assert sidebar.list.currentItem().data(ID_ROLE) == created.id
    assert sidebar.list.currentItem().text() == "New chat"


def test_rename_inline_persists(qtbot, store, make_sidebar):
    conversation = store.create_conversation("old name")
    sidebar = make_sidebar()
    sidebar.run_command(conversation.id, "rename")
    editor = sidebar.list.findChild(QLineEdit, "renameEditor")
    assert editor is not None and editor.text() == "old name"
    editor.setText("  new   name ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits through a queued call
    qtbot.waitUntil(lambda: store.get_conversation(conversation.id).title == "new name")
    assert rows(sidebar) == ["# Today", "new name"]


def test_a_refresh_while_renaming_keeps_the_typed_title(qtbot, store, make_sidebar):
    """A finished turn or a new chat refreshes the list; under an open editor that used to drop
    the typed title (and Qt warned the editor no longer belonged to the view)."""
    conversation = store.create_conversation("old name")
    other = store.create_conversation("other")
    sidebar = make_sidebar()
    sidebar.run_command(conversation.id, "rename")
    editor = sidebar.list.findChild(QLineEdit, "renameEditor")
    assert editor is not None
    editor.setText("typed before the refresh")
    store.rename_conversation(other.id, "other, renamed elsewhere")
    sidebar.refresh()
    assert sidebar.list.findChild(QLineEdit, "renameEditor") is editor
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: store.get_conversation(conversation.id).title == "typed before the refresh"
    )
    # The deferred refresh ran once the editor closed: the other chat's new title shows too.
    qtbot.waitUntil(lambda: "other, renamed elsewhere" in rows(sidebar))
    assert sorted(rows(sidebar)) == sorted(
        ["# Today", "typed before the refresh", "other, renamed elsewhere"]
    )


def test_an_empty_rename_keeps_the_title(qtbot, store, make_sidebar):
    conversation = store.create_conversation("keep me")
    sidebar = make_sidebar()
    sidebar.select(conversation.id)
    sidebar.list.setFocus()
    qtbot.keyClick(sidebar.list, Qt.Key.Key_F2)
    editor = sidebar.list.findChild(QLineEdit, "renameEditor")
    assert editor is not None
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sidebar.list.findChild(QLineEdit, "renameEditor") is None)
    assert store.get_conversation(conversation.id).title == "keep me"
    assert rows(sidebar) == ["# Today", "keep me"]


def test_pin_moves_to_top_and_unpin_moves_back(store, make_sidebar):
    old = store.create_conversation("old", now=ago(days=30))
    store.create_conversation("new", now=ago(hours=1))
    sidebar = make_sidebar()
    commands = [action.data() for action in sidebar.build_menu(old.id).actions()]
    assert commands == ["rename", "pin", "delete"]
    sidebar.run_command(old.id, "pin")
    assert store.get_conversation(old.id).pinned
    assert rows(sidebar)[:2] == ["# Pinned", "old"]
    assert [action.text() for action in sidebar.build_menu(old.id).actions()][1] == "Unpin"
    sidebar.run_command(old.id, "unpin")
    assert rows(sidebar) == ["# Today", "new", "# Older", "old"]


def test_delete_then_undo_restores(qtbot, store, make_sidebar):
    # Both times explicit: "now" by the wall clock is before NOW (noon) every morning.
    conversation = store.create_conversation("doomed", now=ago(minutes=5))
    store.create_conversation("other", now=ago(hours=1))
    sidebar = make_sidebar()
    click(qtbot, sidebar, conversation.id)
    with qtbot.waitSignal(sidebar.conversation_deleted) as blocker:
        sidebar.run_command(conversation.id, "delete")
    assert blocker.args == [conversation.id]
    assert rows(sidebar) == ["# Today", "other"]
    assert sidebar.current_id() is None
    assert sidebar.undo_strip.isVisible()
    assert "doomed" in sidebar.undo_label.text()
    assert store.get_conversation(conversation.id).deleted_at is not None
    # The deleted chat was open, so Undo opens it again.
    with qtbot.waitSignal(sidebar.conversation_selected) as blocker:
        qtbot.mouseClick(sidebar.undo_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [conversation.id]
    assert store.get_conversation(conversation.id).deleted_at is None
    assert rows(sidebar) == ["# Today", "doomed", "other"]
    assert sidebar.current_id() == conversation.id
    assert not sidebar.undo_strip.isVisible()


def test_delete_purges_when_the_undo_time_ends(qtbot, store, make_sidebar):
    conversation = store.create_conversation("gone")
    store.add_message(conversation.id, "user", "hello")
    sidebar = make_sidebar()
    sidebar.undo_ms = 50
    sidebar.delete(conversation.id)
    assert sidebar.pending_delete() == conversation.id
    qtbot.waitUntil(lambda: sidebar.pending_delete() is None, timeout=2000)
    with pytest.raises(NotFoundError):
        store.get_conversation(conversation.id)
    assert not sidebar.undo_strip.isVisible()
    assert sidebar.empty_label.isVisible()


def test_a_second_delete_purges_the_first(store, make_sidebar):
    first = store.create_conversation("first")
    second = store.create_conversation("second")
    sidebar = make_sidebar()
    sidebar.delete(first.id)
    sidebar.delete(second.id)
    with pytest.raises(NotFoundError):
        store.get_conversation(first.id)
    sidebar.undo_delete()
    assert rows(sidebar) == ["# Today", "second"]


def test_delete_key_deletes_the_selected_conversation(qtbot, store, make_sidebar):
    conversation = store.create_conversation("bye")
    sidebar = make_sidebar()
    sidebar.select(conversation.id)
    sidebar.list.setFocus()
    with qtbot.waitSignal(sidebar.conversation_deleted):
        qtbot.keyClick(sidebar.list, Qt.Key.Key_Delete)
    assert sidebar.pending_delete() == conversation.id


def test_new_chat_button_asks_for_a_new_chat(qtbot, make_sidebar):
    sidebar = make_sidebar()
    with qtbot.waitSignal(sidebar.new_chat_requested):
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)


def test_titles_are_plain_text(store, make_sidebar):
    store.create_conversation("<b>bold</b> & co")
    sidebar = make_sidebar()
    item = sidebar.list.item(1)
    assert item.text() == "<b>bold</b> & co"  # list items never interpret markup
    assert item.toolTip() == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; co</p>"


def test_search_hit_selects_and_is_forwarded(qtbot, store, make_sidebar):
    conversation = store.create_conversation("售后")
    message = store.add_message(conversation.id, "user", "退款需要多久？")
    store.create_conversation("unrelated")
    sidebar = make_sidebar()
    sidebar.open_search()
    dialog = sidebar.search_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_query("退款")
    with qtbot.waitSignal(sidebar.search_hit_activated) as blocker:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert blocker.args == [conversation.id, message.id]
    assert sidebar.current_id() == conversation.id
    assert not dialog.isVisible()


@pytest.mark.qt_log_ignore(SIZE_HINTS, POPUPS)
def test_the_row_menu_button_opens_the_menu(qtbot, store, make_sidebar):
    conversation = store.create_conversation("menu me")
    sidebar = make_sidebar()

    def choose_pin() -> None:
        menu = QApplication.activePopupWidget()
        assert menu is not None
        pin = next(action for action in menu.actions() if action.data() == "pin")
        menu.setActiveAction(pin)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(50, choose_pin)
    rect = sidebar.list.visualItemRect(sidebar._item_for(conversation.id))
    button = rect.topRight() + QPoint(-8, rect.height() // 2)
    with qtbot.assertNotEmitted(sidebar.conversation_selected):
        qtbot.mouseClick(sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=button)
    assert store.get_conversation(conversation.id).pinned
    assert rows(sidebar) == ["# Pinned", "menu me"]


@pytest.mark.qt_log_ignore(SIZE_HINTS, POPUPS)
@pytest.mark.parametrize(
    "key, modifier",
    [
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
    ],
)
def test_the_rows_menu_opens_from_the_keyboard_and_runs_a_command(
    qtbot, store, make_sidebar, key, modifier
):
    old = store.create_conversation("old", now=ago(days=30))
    store.create_conversation("new", now=ago(hours=1))
    sidebar = make_sidebar()
    sidebar.list.setFocus()
    sidebar.list.setCurrentItem(sidebar._item_for(old.id))
    qtbot.waitUntil(sidebar.list.hasFocus)
    seen = []

    def choose_pin() -> None:
        menu = QApplication.activePopupWidget()
        seen.append(menu.objectName() if menu else None)
        if menu is None:
            return
        item_rect = sidebar.list.visualItemRect(sidebar._item_for(old.id))
        seen.append(sidebar.list.viewport().mapFromGlobal(menu.pos()).y() >= item_rect.top())
        for _ in range(3):  # arrow keys to Pin, then Return: all from the keyboard
            if menu.activeAction() is not None and menu.activeAction().data() == "pin":
                break
            qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_pin)
    qtbot.keyClick(sidebar.list, key, modifier)
    assert seen == ["conversationMenu", True]
    assert store.get_conversation(old.id).pinned


def test_the_focused_row_shows_its_menu_button(qtbot, store, make_sidebar):
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    conversation = store.create_conversation("a chat", now=ago(hours=1))
    sidebar = make_sidebar()
    item = sidebar._item_for(conversation.id)
    index = sidebar.list.indexFromItem(item)
    option = QStyleOptionViewItem()
    option.initFrom(sidebar.list)
    option.rect = sidebar.list.visualItemRect(item)
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_HasFocus
    option.widget = sidebar.list
    from PySide6.QtGui import QImage, QPainter

    def paint(state) -> QImage:
        image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
        image.fill(0)
        option.state = state
        painter = QPainter(image)
        painter.translate(-option.rect.topLeft())
        sidebar.delegate.paint(painter, option, index)
        painter.end()
        return image

    enabled = QStyle.StateFlag.State_Enabled
    focused = paint(enabled | QStyle.StateFlag.State_HasFocus)
    plain = paint(enabled)
    assert focused != plain  # the "⋯" is drawn on the row the keyboard is on
