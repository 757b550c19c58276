"""Export to Markdown and JSON, and lossless import; bad archives are refused untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_chat.store import ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveError, Store, open_store


def _build(store: Store) -> tuple[int, int]:
    shop = store.create_conversation(
        "Shop 退款", model="m.gguf", profile="shop", settings={"temperature": 0.1}, now=100.0
    )
    store.update_conversation(shop.id, context_policy="ask", pinned=True)
    q = store.add_message(shop.id, "user", "Refund?", tokens=3, now=101.0)
    answer = store.add_message(
        shop.id,
        "assistant",
        "30 days.",
        model="m.gguf",
        tokens=4,
        ttft_s=0.1,
        tokens_per_s=40.0,
        stop_reason="done",
        citations=[{"source": "faq.md", "text": "Refunds: 30 days", "score": 0.9}],
        metadata={"kb": "shop"},
        now=102.0,
    )
    store.add_message(
        shop.id, "assistant", "Thirty", complete=False, stop_reason="stopped", parent_id=q.id
    )
    edited = store.add_message(shop.id, "user", "Refund for sale items?", parent_id=None)
    store.add_message(shop.id, "assistant", "Sale items: store credit.")
    store.switch_to_sibling(answer.id)
    other = store.create_conversation("Plain", now=50.0)
    store.add_message(other.id, "system", "Be brief.")
    store.add_message(other.id, "user", "hi")
    assert edited.parent_id is None
    return shop.id, other.id


def _canonical(archive: dict[str, Any]) -> list[dict[str, Any]]:
    """The archive's conversations with ids replaced by their position, for comparison."""
    result = []
    for conversation in archive["conversations"]:
        messages = sorted(conversation["messages"], key=lambda m: m["id"])
        position = {m["id"]: n for n, m in enumerate(messages)}
        renumbered = [
            {**m, "id": position[m["id"]], "parent_id": position.get(m["parent_id"])}
            for m in messages
        ]
        leaf = conversation["active_leaf_id"]
        result.append(
            {**conversation, "id": None, "active_leaf_id": position[leaf], "messages": renumbered}
        )
    return sorted(result, key=lambda c: c["title"])


def _row_counts(store: Store) -> tuple[int, int]:
    with store._locked() as conn:
        return (
            conn.execute("SELECT count(*) FROM conversations").fetchone()[0],
            conn.execute("SELECT count(*) FROM messages").fetchone()[0],
        )


def test_json_round_trip_of_all_conversations(store: Store, tmp_path: Path) -> None:
    _build(store)
    target = tmp_path / "all.json"
    assert store.export_json(target) == 2
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert (exported["format"], exported["version"]) == (ARCHIVE_FORMAT, ARCHIVE_VERSION)

    other, _ = open_store(tmp_path / "other.sqlite3")
    other.create_conversation("already here")
    new_ids = other.import_archive(target)
    assert len(new_ids) == 2
    again = other.archive_data(new_ids)
    assert _canonical(again) == _canonical(exported)
    shop = other.get_conversation(new_ids[0])
    thread = other.active_thread(shop.id)
    assert [m.content for m in thread] == ["Refund?", "30 days."]
    assert other.siblings(thread[0].id).label == "1/2"
    assert other.siblings(thread[1].id).label == "1/2"
    assert [h.message_id for h in other.search("退款")] == []  # titles are not messages
    assert len(other.search("credit")) == 1
    assert other.integrity_problems() == []
    other.close()


def test_import_into_the_same_store_gets_new_ids(store: Store, tmp_path: Path) -> None:
    shop_id, _ = _build(store)
    target = tmp_path / "one.json"
    assert store.export_json(target, [shop_id]) == 1
    (copy_id,) = store.import_archive(target)
    assert copy_id != shop_id
    original = store.archive_data([shop_id])
    copied = store.archive_data([copy_id])
    assert _canonical(copied) == _canonical(original)
    assert not set(m["id"] for m in copied["conversations"][0]["messages"]) & set(
        m["id"] for m in original["conversations"][0]["messages"]
    )


def test_markdown_export(store: Store, tmp_path: Path) -> None:
    shop_id, _other_id = _build(store)
    one = tmp_path / "one.md"
    assert store.export_markdown(one, [shop_id]) == 1
    text = one.read_text(encoding="utf-8")
    assert text.startswith("# Shop 退款\n")
    assert "### You (one of several versions)\n\nRefund?" in text
    assert "### Assistant (one of several versions)\n\n30 days." in text
    assert "1. faq.md — “Refunds: 30 days”" in text
    assert "Sale items" not in text  # another branch
    everything = tmp_path / "all.md"
    assert store.export_markdown(everything) == 2
    text = everything.read_text(encoding="utf-8")
    assert "# Shop 退款" in text and "# Plain" in text and "\n---\n" in text


BAD_ARCHIVES: list[tuple[str, str]] = [
    ("not json at all {", "not valid JSON"),
    ("[1, 2, 3]", "not a desktop-chat conversation archive"),
    ('{"format": "something-else", "version": 1, "conversations": []}', "not a desktop-chat"),
    (
        json.dumps({"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION + 1, "conversations": []}),
        "newer version of desktop-chat",
    ),
    (json.dumps({"format": ARCHIVE_FORMAT, "version": 1}), "no list of conversations"),
]


def _valid_then_broken(break_it: Any) -> str:
    good = {"title": "ok", "created": 1.0, "updated": 2.0, "messages": []}
    bad = {
        "title": "bad",
        "created": 1.0,
        "updated": 2.0,
        "messages": [{"id": 1, "role": "user", "content": "q", "created": 1.0}],
    }
    break_it(bad)
    return json.dumps({"format": ARCHIVE_FORMAT, "version": 1, "conversations": [good, bad]})


BAD_ARCHIVES += [
    (_valid_then_broken(lambda c: c["messages"][0].pop("role")), "message 1 of conversation 2"),
    (_valid_then_broken(lambda c: c["messages"][0].update(parent_id=7)), "which is missing"),
    (_valid_then_broken(lambda c: c["messages"][0].update(parent_id=1)), "loop"),
    (_valid_then_broken(lambda c: c.update(active_leaf_id=5)), "which is missing"),
    (_valid_then_broken(lambda c: c.update(created="yesterday")), "created of conversation 2"),
    (_valid_then_broken(lambda c: c["messages"].append(c["messages"][0])), "appears twice"),
]
# Nested 100,000 deep: refused before Python's JSON parser recurses (it raised RecursionError).
BAD_ARCHIVES += [
    ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
    (
        json.dumps({"format": ARCHIVE_FORMAT, "version": 1, "conversations": []})[:-1]
        + ', "extra": '
        + '{"a": ' * 100_000
        + "1"
        + "}" * 100_001,
        "nested more than 64 levels deep",
    ),
]


@pytest.mark.parametrize(("content", "reason"), BAD_ARCHIVES)
def test_bad_archives_are_refused_and_nothing_changes(
    store: Store, tmp_path: Path, content: str, reason: str
) -> None:
    _build(store)
    before = (_row_counts(store), _canonical(store.archive_data()))
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        store.import_archive(bad)
    message = str(caught.value)
    assert reason in message and str(bad) in message and "Nothing was imported." in message
    assert (_row_counts(store), _canonical(store.archive_data())) == before


def test_binary_and_missing_files_are_refused(store: Store, tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    with pytest.raises(ArchiveError, match="not a text file"):
        store.import_archive(binary)
    with pytest.raises(ArchiveError, match="Could not read"):
        store.import_archive(tmp_path / "missing.json")
    assert _row_counts(store) == (0, 0)


def test_failure_half_way_through_rolls_back(store: Store) -> None:
    _build(store)
    before = _row_counts(store)
    # Passes validation but cannot be stored: the first conversation is already inserted
    # when the second one fails, and must be rolled back.
    data = {
        "format": ARCHIVE_FORMAT,
        "version": 1,
        "conversations": [
            {"title": "one", "created": 1.0, "updated": 1.0, "messages": []},
            {
                "title": "two",
                "created": 1.0,
                "updated": 1.0,
                "messages": [
                    {"id": 1, "role": "user", "content": "q", "created": 1.0, "tokens": 2**70}
                ],
            },
        ],
    }
    with pytest.raises(ArchiveError, match="Nothing was imported"):
        store.import_data(data, source="big.json")
    assert _row_counts(store) == before
