"""Search: English and Chinese, long and two-character terms, snippets, deleted chats hidden."""

from __future__ import annotations

import pytest

from desktop_chat.store import Store
from desktop_chat.store.search import make_snippet


@pytest.fixture
def filled(store: Store) -> dict[str, int]:
    shop = store.create_conversation("Shop questions")
    ids = {"shop": shop.id}
    ids["refund_zh"] = store.add_message(shop.id, "user", "请问退款需要多长时间？").id
    ids["refund_en"] = store.add_message(
        shop.id, "assistant", "Refunds take 3-5 working days after we receive the parcel."
    ).id
    ids["ship_zh"] = store.add_message(shop.id, "user", "订单什么时候发货？我很着急。").id
    ids["ship_en"] = store.add_message(
        shop.id, "assistant", "We ship within 48 hours. 我们会在四十八小时内发货。"
    ).id
    other = store.create_conversation("Cooking")
    ids["other"] = other.id
    ids["pasta"] = store.add_message(other.id, "user", "How long do I boil 100% durum pasta_al?").id
    return ids


def _ids(store: Store, text: str) -> set[int]:
    return {hit.message_id for hit in store.search(text)}


def test_english_words_any_case(store: Store, filled: dict[str, int]) -> None:
    assert _ids(store, "refunds") == {filled["refund_en"]}
    assert _ids(store, "PARCEL") == {filled["refund_en"]}
    assert _ids(store, "ship within") == {filled["ship_en"]}
    assert _ids(store, "ceive") == {filled["refund_en"]}  # substrings match too
    assert _ids(store, "nothing like this") == set()


def test_chinese_three_or_more_characters(store: Store, filled: dict[str, int]) -> None:
    assert _ids(store, "多长时间") == {filled["refund_zh"]}
    assert _ids(store, "什么时候发货") == {filled["ship_zh"]}


def test_chinese_two_character_words(store: Store, filled: dict[str, int]) -> None:
    assert _ids(store, "退款") == {filled["refund_zh"]}
    assert _ids(store, "发货") == {filled["ship_zh"], filled["ship_en"]}
    assert _ids(store, "发货 ship") == {filled["ship_en"]}
    assert _ids(store, "着急 发货") == {filled["ship_zh"]}


def test_short_and_special_terms(store: Store, filled: dict[str, int]) -> None:
    assert _ids(store, "48") == {filled["ship_en"]}
    assert _ids(store, "100%") == {filled["pasta"]}
    assert _ids(store, "%") == {filled["pasta"]}
    assert _ids(store, "_a") == {filled["pasta"]}
    assert _ids(store, '"boil') == set()
    assert _ids(store, 'AND OR "') == set()
    assert store.search("   ") == []


def test_hit_carries_conversation_and_snippet(store: Store, filled: dict[str, int]) -> None:
    (hit,) = store.search("退款")
    assert hit.conversation_id == filled["shop"]
    assert hit.conversation_title == "Shop questions"
    assert hit.role == "user"
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "退款"


def test_results_newest_first_and_limited(store: Store) -> None:
    chat = store.create_conversation("many")
    made = [
        store.add_message(chat.id, "user", f"refund number {n}", now=float(n)).id for n in range(10)
    ]
    hits = store.search("refund", limit=3)
    assert [hit.message_id for hit in hits] == made[::-1][:3]


def test_deleted_conversations_are_not_searched(store: Store, filled: dict[str, int]) -> None:
    store.delete_conversation(filled["other"])
    assert _ids(store, "pasta") == set()
    assert _ids(store, "durum") == set()


def test_snippet_window() -> None:
    content = "a" * 100 + "\nRefund\n" + "b" * 100
    snippet, spans = make_snippet(content, ["refund"], context=10)
    assert snippet == "…" + "a" * 9 + " Refund " + "b" * 9 + "…"
    assert [snippet[s:e] for s, e in spans] == ["Refund"]
