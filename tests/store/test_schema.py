"""Schema versions: a stored v1 database migrates to the current version with its data intact."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.store import SCHEMA_VERSION, open_store
from desktop_chat.store.schema import MIGRATIONS, migrate, user_version

FIXTURE = Path(__file__).with_name("fixtures") / "v1.sqlite3"


def test_one_migration_per_version_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_v1_fixture_is_version_1() -> None:
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert user_version(conn) == 1
        columns = {row[1] for row in conn.execute("PRAGMA table_info(messages)")}
        assert "parent_id" not in columns and "citations" not in columns
    finally:
        conn.close()


def test_v1_database_migrates_with_data_intact() -> None:
    target = paths.database_file()
    shutil.copyfile(FIXTURE, target)

    store, notice = open_store()
    assert notice is None
    assert store.schema_version == SCHEMA_VERSION
    conversations = store.list_conversations()
    assert [c.title for c in conversations] == ["Pinned notes", "Refund policy"]
    pinned, refund = conversations
    assert pinned.pinned and not refund.pinned
    assert refund.model == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert refund.context_policy == "drop_oldest" and refund.deleted_at is None

    thread = store.active_thread(refund.id)
    assert [m.role for m in thread] == ["user", "assistant", "user", "assistant"]
    assert thread[0].parent_id is None
    assert all(m.parent_id == prev.id for prev, m in itertools.pairwise(thread))
    answer = thread[1]
    assert answer.content.startswith("Refunds are accepted within 30 days.")
    assert (answer.tokens, answer.ttft_s, answer.tokens_per_s) == (21, 0.12, 48.5)
    assert answer.stop_reason == "done" and answer.complete and answer.citations == []
    assert thread[3].stop_reason == "stopped" and not thread[3].complete
    assert store.siblings(thread[2].id).count == 1

    # The search index was built from the old rows.
    assert {hit.message_id for hit in store.search("退款")} == {answer.id}
    assert {hit.message_id for hit in store.search("发货")} == {thread[2].id}
    assert {hit.message_id for hit in store.search("within")} == {answer.id, thread[3].id}

    # New features work on migrated data.
    store.add_message(refund.id, "user", "edited question", parent_id=thread[1].id)
    assert store.siblings(thread[2].id).label == "1/2"
    assert store.integrity_problems() == []
    store.close()


def test_failed_migration_step_leaves_the_old_version(tmp_path: Path) -> None:
    path = tmp_path / "half.sqlite3"
    conn = sqlite3.connect(str(path), isolation_level=None)
    migrate(conn, target=1)
    # A column v2 wants to add already exists: the step fails half-way and must roll back.
    conn.execute("ALTER TABLE conversations ADD COLUMN deleted_at REAL")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert user_version(conn) == 1
    columns = {row[1] for row in conn.execute("PRAGMA table_info(conversations)")}
    assert "profile" not in columns
    conn.close()
