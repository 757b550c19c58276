"""The search dialog over a real store: debounce, English and Chinese hits, keys, escaping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from desktop_chat.store import Store, open_store
from desktop_chat.ui.chat.search_dialog import (
    TITLE_MATCH,
    SearchDialog,
    highlight_html,
    plain_snippet,
    when_text,
)

# The offscreen platform warns whenever a shown top-level window's size limits change.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def store() -> Iterator[Store]:
    store, notice = open_store()
    assert notice is None
    yield store
    store.close()


@pytest.fixture
def dialog(qtbot, store: Store) -> SearchDialog:
    dialog = SearchDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add_chat(store: Store, title: str, *texts: str) -> tuple[int, list[int]]:
    conversation = store.create_conversation(title)
    ids = [
        store.add_message(conversation.id, "user" if n % 2 == 0 else "assistant", text).id
        for n, text in enumerate(texts)
    ]
    return conversation.id, ids


def message_rows(dialog: SearchDialog) -> list[tuple[int, int]]:
    from desktop_chat.ui.chat.search_dialog import CONVERSATION_ROLE, MESSAGE_ROLE

    items = [dialog.results.item(row) for row in range(dialog.results.count())]
    return [(item.data(CONVERSATION_ROLE), item.data(MESSAGE_ROLE)) for item in items]


def test_typing_searches_after_the_debounce(qtbot, store, dialog):
    conversation_id, (message_id,) = add_chat(store, "Returns", "How do I get a refund?")
    qtbot.keyClicks(dialog.query_edit, "refund")
    assert dialog.is_pending()
    assert dialog.results.count() == 0
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=2000)
    assert message_rows(dialog) == [(conversation_id, message_id)]
    title, meta, snippet = (label.text() for label in dialog.result_labels(0))
    assert "Returns" in title
    assert meta.startswith("You")
    assert "<b>refund</b>" in snippet


def test_chinese_two_character_query_finds_the_message(store, dialog):
    conversation_id, (message_id,) = add_chat(store, "售后", "退款需要多久？")
    add_chat(store, "Other", "nothing to see here")
    dialog.set_query("退款")
    assert message_rows(dialog) == [(conversation_id, message_id)]
    snippet = dialog.result_labels(0)[-1].text()
    assert "<b>退款</b>需要多久" in snippet


def test_enter_in_the_field_activates_and_closes(qtbot, store, dialog):
    conversation_id, (message_id,) = add_chat(store, "Shipping", "When will my parcel ship?")
    qtbot.keyClicks(dialog.query_edit, "parcel")
    # Enter right away must not wait for the debounce, nor act on stale results.
    with qtbot.waitSignal(dialog.hit_activated) as blocker:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert blocker.args == [conversation_id, message_id]
    assert not dialog.isVisible()


def test_double_click_activates_the_clicked_result(qtbot, store, dialog):
    first_id, (first_message,) = add_chat(store, "A", "apple pie recipe")
    second_id, (second_message,) = add_chat(store, "B", "apple juice")
    dialog.set_query("apple")
    assert message_rows(dialog) == [(second_id, second_message), (first_id, first_message)]
    rect = dialog.results.visualItemRect(dialog.results.item(1))
    viewport = dialog.results.viewport()
    # A real double-click starts with a press; item views ignore a lone double-click event.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.results.currentRow() == 1
    with qtbot.waitSignal(dialog.hit_activated) as blocker:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [first_id, first_message]


def test_up_and_down_move_in_the_results_while_typing(qtbot, store, dialog):
    for n in range(3):
        add_chat(store, f"Chat {n}", f"topic number {n}")
    dialog.set_query("topic")
    assert dialog.results.currentRow() == 0
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)  # stays on the last one
    assert dialog.results.currentRow() == 2
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Up)
    assert dialog.results.currentRow() == 1
    assert dialog.query_edit.text() == "topic"
    with qtbot.waitSignal(dialog.hit_activated) as blocker:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Enter)
    assert blocker.args == list(message_rows(dialog)[1])


def test_no_matches_says_so_and_hints_at_both_languages(store, dialog):
    add_chat(store, "Something", "hello world")
    assert "Chinese and English" in dialog.status_label.text()
    dialog.set_query("zebra")
    assert dialog.results.count() == 0
    assert "No matches" in dialog.status_label.text()
    assert "Chinese and English" in dialog.status_label.text()
    dialog.set_query("")
    assert "No matches" not in dialog.status_label.text()


def test_html_in_titles_and_snippets_is_shown_as_text(store, dialog):
    add_chat(store, "<i>tags</i> & more", "Use <b>bold</b> for emphasis")
    dialog.set_query("emphasis")
    title, _meta, snippet = (label.text() for label in dialog.result_labels(0))
    assert "&lt;i&gt;tags&lt;/i&gt; &amp; more" in title
    assert "<i>" not in title
    assert "&lt;b&gt;bold&lt;/b&gt;" in snippet
    assert "<b>emphasis</b>" in snippet
    assert all(label.textFormat() == Qt.TextFormat.RichText for label in dialog.result_labels(0))


def test_a_matching_title_is_offered_first(store, dialog):
    conversation_id, _ = add_chat(store, "Holiday planning", "Where should we go?")
    dialog.set_query("holiday")
    assert message_rows(dialog) == [(conversation_id, TITLE_MATCH)]
    assert "<b>Holiday</b>" in dialog.result_labels(0)[0].text()


def test_deleted_conversations_are_not_found(store, dialog):
    conversation_id, _ = add_chat(store, "Secret", "classified stuff")
    store.delete_conversation(conversation_id)
    dialog.set_query("classified")
    assert dialog.results.count() == 0


def test_highlight_html_escapes_and_merges_spans():
    assert highlight_html("a<b>c", ((1, 4),)) == "a<b>&lt;b&gt;</b>c"
    assert highlight_html("abcdef", ((0, 3), (2, 5))) == "<b>abc</b><b>de</b>f"
    assert highlight_html("abc", ((5, 9),)) == "abc"
    assert highlight_html("x & y", ()) == "x &amp; y"


def test_snippets_are_plain_text_with_the_hit_still_marked(store, dialog):
    add_chat(
        store, "Refunds", "```python\nprint('x')\n```\n\n**Refunds** take five days\n# Heading"
    )
    dialog.set_query("refunds")
    rows = [dialog.result_labels(row) for row in range(dialog.results.count())]
    snippet = next(
        labels[2].text() for labels in rows if len(labels) > 2 and "five" in labels[2].text()
    )
    assert "```" not in snippet and "**" not in snippet
    assert "<b>Refunds</b> take five days" in snippet


def test_plain_snippet_moves_the_hits_with_the_text():
    text = "Use **refund** and `refund()`"
    spans = [
        (text.find("refund"), text.find("refund") + 6),
        (text.rfind("refund"), text.rfind("refund") + 6),
    ]
    plain, moved = plain_snippet(text, spans)
    assert plain == "Use refund and refund()"
    assert [plain[a:b] for a, b in moved] == ["refund", "refund"]


def test_dates_read_as_words_in_the_interface_language():
    now = QDateTime(QDate(2026, 12, 1), QTime(15, 0))
    today = QDateTime(QDate(2026, 12, 1), QTime(9, 5)).toSecsSinceEpoch()
    yesterday = QDateTime(QDate(2026, 11, 30), QTime(20, 0)).toSecsSinceEpoch()
    older = QDateTime(QDate(2026, 10, 2), QTime(8, 0)).toSecsSinceEpoch()
    assert when_text(today, now) == "Today 09:05"
    assert when_text(yesterday, now) == "Yesterday 20:00"
    assert "2026" in when_text(older, now) and not when_text(older, now).startswith("2 10")
