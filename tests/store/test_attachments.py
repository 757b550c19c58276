"""Attachments: stored with their conversation's text, exported, imported, gone with it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop_chat.store import ArchiveError, NotFoundError, StoreError, open_store
from desktop_chat.store.schema import SCHEMA_VERSION, migrate, user_version

SECTIONS = [{"section": "Terms > Refunds", "page": 2, "text": "Refunds take 5 days."}]


@pytest.fixture
def store(tmp_path):
    store, _ = open_store(tmp_path / "chats.sqlite3")
    yield store
    store.close()


def test_add_update_list_and_remove(store):
    conversation = store.create_conversation("with a file")
    attached = store.add_attachment(conversation.id, "terms.pdf", path="/x/terms.pdf", size=10)
    assert (attached.mode, attached.sections, attached.error) == ("reading", [], "")
    done = store.update_attachment(attached.id, mode="whole", tokens=7, sections=SECTIONS)
    assert done.text == "Refunds take 5 days." and done.tokens == 7
    second = store.add_attachment(conversation.id, "bad.md")
    store.update_attachment(second.id, mode="failed", error="bad.md is not a text file.")
    assert [a.name for a in store.attachments(conversation.id)] == ["terms.pdf", "bad.md"]
    with pytest.raises(StoreError):
        store.update_attachment(second.id, mode="nonsense")  # type: ignore[arg-type]
    store.remove_attachment(second.id)
    store.remove_attachment(second.id)  # already gone: fine
    assert [a.id for a in store.attachments(conversation.id)] == [attached.id]
    with pytest.raises(NotFoundError):
        store.add_attachment(9999, "x.md")


def test_attachments_go_with_their_conversation(store):
    conversation = store.create_conversation("doomed")
    store.add_attachment(conversation.id, "a.md")
    store.delete_conversation(conversation.id)
    assert store.attached_conversations() == {conversation.id}  # undo still possible
    store.purge_deleted()
    assert store.attached_conversations() == set()
    assert store.integrity_problems() == []


def test_export_and_import_keep_attachments(store, tmp_path):
    conversation = store.create_conversation("exported")
    store.add_message(conversation.id, "user", "What do the terms say?")
    attached = store.add_attachment(conversation.id, "terms.pdf", size=10)
    store.update_attachment(attached.id, mode="indexed", tokens=9000, sections=SECTIONS)
    store.add_attachment(conversation.id, "half-read.md")
    path = tmp_path / "all.json"
    store.export_json(path, [conversation.id])
    data = json.loads(path.read_text())
    exported = data["conversations"][0]["attachments"]
    assert [a["name"] for a in exported] == ["terms.pdf", "half-read.md"]
    assert exported[0]["sections"] == SECTIONS and exported[1]["mode"] == "failed"
    [copy] = store.import_archive(path)
    restored = store.attachments(copy)
    assert [(a.name, a.mode, a.sections) for a in restored] == [
        ("terms.pdf", "indexed", SECTIONS),
        ("half-read.md", "failed", []),
    ]
    markdown = store.markdown([conversation.id])
    assert "Attached documents:" in markdown and "- terms.pdf" in markdown


def test_an_archive_without_attachments_still_imports_and_a_bad_one_is_refused(store, tmp_path):
    conversation = store.create_conversation("old")
    data = store.archive_data([conversation.id])
    del data["conversations"][0]["attachments"]  # as exported before attachments existed
    [copy] = store.import_data(data)
    assert store.attachments(copy) == []
    data["conversations"][0]["attachments"] = [{"name": "x", "created": 1.0, "sections": [3]}]
    with pytest.raises(ArchiveError, match="attachment 1 of conversation 1"):
        store.import_data(data)


def test_a_version_2_database_gains_the_attachments_table(tmp_path):
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.execute("INSERT INTO conversations (title, created, updated) VALUES ('kept', 1, 1)")
    conn.close()
    store, notice = open_store(path)
    try:
        assert notice is None and store.schema_version == SCHEMA_VERSION
        [conversation] = store.list_conversations()
        assert conversation.title == "kept" and store.attachments(conversation.id) == []
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert user_version(conn) == SCHEMA_VERSION
    conn.close()
