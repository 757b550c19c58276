"""Conversation list: order, pin, rename, settings, soft delete with undo, purge, groups, titles."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop_chat.store import (
    Group,
    NotFoundError,
    Store,
    StoreError,
    group_conversations,
    title_from_text,
)


def test_list_is_pinned_first_then_newest(store: Store) -> None:
    old = store.create_conversation("old", now=100.0)
    middle = store.create_conversation("middle", now=200.0)
    new = store.create_conversation("new", now=300.0)
    assert [c.id for c in store.list_conversations()] == [new.id, middle.id, old.id]
    store.set_pinned(old.id, True)
    assert [c.id for c in store.list_conversations()] == [old.id, new.id, middle.id]
    store.add_message(middle.id, "user", "bump", now=400.0)
    assert [c.id for c in store.list_conversations()] == [old.id, middle.id, new.id]


def test_equal_times_are_ordered_by_id_newest_first(store: Store) -> None:
    first, second, third = (store.create_conversation(t, now=500.0) for t in ("1", "2", "3"))
    assert [c.id for c in store.list_conversations()] == [third.id, second.id, first.id]
    store.delete_conversation(second.id, now=600.0)
    store.restore_conversation(second.id)
    assert [c.id for c in store.list_conversations()] == [third.id, second.id, first.id]


def test_rename_and_settings(store: Store) -> None:
    conversation = store.create_conversation("draft", profile="shop")
    renamed = store.rename_conversation(conversation.id, "Shipping times")
    assert renamed.title == "Shipping times" and renamed.profile == "shop"
    changed = store.update_conversation(
        conversation.id, context_policy="ask", settings={"n_ctx": 4096}, model="x.gguf"
    )
    assert (changed.context_policy, changed.settings, changed.model) == (
        "ask",
        {"n_ctx": 4096},
        "x.gguf",
    )
    assert store.update_conversation(conversation.id, settings=None).settings is None
    with pytest.raises(StoreError):
        store.update_conversation(conversation.id, context_policy="forget")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        store.rename_conversation(9999, "nope")


def test_soft_delete_restore_and_purge(store: Store) -> None:
    kept = store.create_conversation("kept")
    gone = store.create_conversation("gone")
    store.add_message(gone.id, "user", "secret question about invoices")
    store.delete_conversation(gone.id, now=1000.0)
    assert [c.id for c in store.list_conversations()] == [kept.id]
    assert store.search("invoices") == []
    assert store.get_conversation(gone.id).deleted_at == 1000.0

    store.restore_conversation(gone.id)
    assert {c.id for c in store.list_conversations()} == {kept.id, gone.id}
    assert len(store.search("invoices")) == 1

    store.delete_conversation(gone.id, now=1000.0)
    assert store.purge_deleted(10, now=1005.0) == 0
    assert store.purge_deleted(10, now=1010.0) == 1
    with pytest.raises(NotFoundError):
        store.restore_conversation(gone.id)
    with store._locked() as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert store.integrity_problems() == []


def test_purge_conversation_at_once(store: Store) -> None:
    conversation = store.create_conversation("x")
    store.add_message(conversation.id, "user", "q")
    store.purge_conversation(conversation.id)
    assert store.list_conversations(include_deleted=True) == []


def test_grouping_by_calendar_day(store: Store) -> None:
    now = datetime(2026, 3, 10, 9, 30)

    def at(day: int, hour: int = 12) -> float:
        return datetime(2026, 3, day, hour).timestamp()

    today = store.create_conversation("today", now=at(10, 0))
    yesterday = store.create_conversation("yesterday", now=at(9, 23))
    week = store.create_conversation("week", now=at(3))
    older = store.create_conversation("older", now=at(1))
    pinned = store.create_conversation("pinned", now=at(1), pinned=True)
    groups = group_conversations(store.list_conversations(), now)
    assert [(g, [c.id for c in items]) for g, items in groups] == [
        (Group.PINNED, [pinned.id]),
        (Group.TODAY, [today.id]),
        (Group.YESTERDAY, [yesterday.id]),
        (Group.PREVIOUS_7_DAYS, [week.id]),
        (Group.OLDER, [older.id]),
    ]
    assert str(Group.PREVIOUS_7_DAYS) == "Previous 7 days"
    assert group_conversations([], now) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("What is your refund policy?", "What is your refund policy?"),
        ("\n\n  # Shipping   to\tHong Kong\nmore lines", "Shipping to Hong Kong"),
        (
            "Please explain in detail how the warranty works for refurbished laptops",
            "Please explain in detail how the warranty…",
        ),
        (
            "我想知道你们的退款政策具体是怎样的，需要提供什么材料，多久可以到账，运费由谁承担呢",
            None,
        ),
        ("", ""),
    ],
)
def test_title_from_text(text: str, title: str | None) -> None:
    result = title_from_text(text)
    assert "\n" not in result and len(result) <= 48
    assert len(title_from_text("退" * 100)) <= 24
    if title is not None:
        assert result == title
    else:
        assert result.endswith("…") and result.startswith("我想知道")
