"""Opening the database: persistence, WAL, damaged and foreign files, newer versions."""

from __future__ import annotations

import os
import sqlite3

import pytest

from desktop_chat import paths
from desktop_chat.store import (
    SCHEMA_VERSION,
    DatabaseUnavailableError,
    NewerDatabaseError,
    Store,
    open_store,
)


def _fill(store: Store, conversations: int = 30) -> None:
    for number in range(conversations):
        conversation = store.create_conversation(f"chat {number}")
        for turn in range(5):
            store.add_message(conversation.id, "user", f"question {turn} " + "x" * 300)
            store.add_message(conversation.id, "assistant", f"answer {turn} " + "y" * 300)


def test_opens_in_wal_mode_at_current_version(store: Store) -> None:
    assert store.path == paths.database_file()
    assert store.schema_version == SCHEMA_VERSION
    with store._locked() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_data_survives_reopen() -> None:
    store, _ = open_store()
    conversation = store.create_conversation("kept", model="m.gguf", settings={"temperature": 0.2})
    store.add_message(conversation.id, "user", "hello")
    answer = store.add_message(conversation.id, "assistant", "hi", citations=[{"source": "a"}])
    store.close()

    reopened, notice = open_store()
    assert notice is None
    assert reopened.get_conversation(conversation.id).settings == {"temperature": 0.2}
    thread = reopened.active_thread(conversation.id)
    assert [m.content for m in thread] == ["hello", "hi"]
    assert reopened.get_message(answer.id).citations == [{"source": "a"}]
    assert reopened.integrity_problems() == []
    reopened.close()


def test_non_database_file_is_moved_aside() -> None:
    path = paths.database_file()
    path.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    store, notice = open_store()
    assert store.recovered_from is not None
    assert notice is not None and str(store.recovered_from) in notice
    assert store.recovered_from.read_text(encoding="utf-8").startswith("these are my notes")
    assert store.list_conversations() == []
    store.create_conversation("works")
    assert store.integrity_problems() == []
    store.close()


def test_corrupt_database_is_moved_aside() -> None:
    store, _ = open_store()
    _fill(store)
    store.checkpoint()
    store.close()
    path = paths.database_file()
    size = path.stat().st_size
    assert size > 8 * 4096
    with path.open("r+b") as handle:
        handle.seek(2 * 4096)
        handle.write(os.urandom(4 * 4096))

    fresh, notice = open_store()
    assert notice is not None and "kept at" in notice
    assert fresh.recovered_from is not None and fresh.recovered_from.stat().st_size == size
    assert fresh.list_conversations() == []
    assert fresh.integrity_problems() == []
    fresh.close()


def test_foreign_sqlite_database_is_moved_aside() -> None:
    path = paths.database_file()
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE conversations (something TEXT)")
    conn.commit()
    conn.close()
    store, notice = open_store()
    assert notice is not None
    assert store.list_conversations() == []
    store.close()


def test_newer_database_is_refused_and_left_alone() -> None:
    store, _ = open_store()
    store.create_conversation("from the future")
    store.close()
    path = paths.database_file()
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of desktop-chat"):
        open_store()
    assert path.read_bytes() == before
    assert list(path.parent.glob("*.corrupt-*")) == []


def test_locked_database_is_not_moved_aside() -> None:
    store, _ = open_store()
    store.close()
    path = paths.database_file()
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailableError, match="close it and try again"):
            open_store(timeout_s=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(path.parent.glob("*.corrupt-*")) == []


def test_a_refused_write_is_a_store_error_with_a_sentence(tmp_path) -> None:
    import sqlite3

    from desktop_chat.store import DatabaseUnavailableError, open_store

    store, _ = open_store(tmp_path / "chats.sqlite3", timeout_s=0.1)
    conversation = store.create_conversation("kept")
    blocker = sqlite3.connect(tmp_path / "chats.sqlite3")
    blocker.execute("BEGIN EXCLUSIVE")  # another process holding the database
    try:
        with pytest.raises(DatabaseUnavailableError, match="could not be saved"):
            store.add_message(conversation.id, "user", "hello")
    finally:
        blocker.rollback()
        blocker.close()
    assert store.get_conversation(conversation.id).title == "kept"
    store.add_message(conversation.id, "user", "hello")  # usable again once the lock is gone
    store.close()
