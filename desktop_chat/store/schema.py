"""Database schema: one migration function per version step, tracked in PRAGMA user_version."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from desktop_chat.store.errors import NewerDatabaseError

SCHEMA_VERSION = 4


def _to_v1(conn: sqlite3.Connection) -> None:
    """The first released schema: linear chats, no branches, no citations, no search."""
    statements = [
        """CREATE TABLE conversations (
               id INTEGER PRIMARY KEY,
               title TEXT NOT NULL DEFAULT '',
               created REAL NOT NULL,
               updated REAL NOT NULL,
               model TEXT,
               pinned INTEGER NOT NULL DEFAULT 0)""",
        """CREATE TABLE messages (
               id INTEGER PRIMARY KEY,
               conversation_id INTEGER NOT NULL
                   REFERENCES conversations(id) ON DELETE CASCADE,
               role TEXT NOT NULL,
               content TEXT NOT NULL DEFAULT '',
               created REAL NOT NULL,
               tokens INTEGER,
               model TEXT,
               ttft_s REAL,
               tokens_per_s REAL,
               stop_reason TEXT,
               complete INTEGER NOT NULL DEFAULT 1)""",
        "CREATE INDEX messages_by_conversation ON messages(conversation_id, created)",
    ]
    # executescript() would commit the migration's transaction half-way.
    for statement in statements:
        conn.execute(statement)


def _to_v2(conn: sqlite3.Connection) -> None:
    """Branches (parent_id + active leaf), profiles, soft delete, citations, FTS5 search."""
    statements = [
        "ALTER TABLE conversations ADD COLUMN profile TEXT",
        "ALTER TABLE conversations ADD COLUMN context_policy TEXT NOT NULL DEFAULT 'drop_oldest'"
        " CHECK (context_policy IN ('drop_oldest', 'ask'))",
        "ALTER TABLE conversations ADD COLUMN settings TEXT",
        # No foreign key: the leaf is repaired in code when its message goes.
        "ALTER TABLE conversations ADD COLUMN active_leaf_id INTEGER",
        "ALTER TABLE conversations ADD COLUMN deleted_at REAL",
        # NO ACTION (checked at statement end) rather than CASCADE: cascades recurse one
        # trigger level per generation and would fail on threads deeper than 1000 messages.
        "ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id)",
        "ALTER TABLE messages ADD COLUMN citations TEXT",
        "ALTER TABLE messages ADD COLUMN metadata TEXT",
        # v1 chats were linear: each message's parent is the one before it.
        """UPDATE messages SET parent_id = (
               SELECT prev.id FROM messages AS prev
               WHERE prev.conversation_id = messages.conversation_id
                 AND (prev.created, prev.id) < (messages.created, messages.id)
               ORDER BY prev.created DESC, prev.id DESC LIMIT 1)""",
        """UPDATE conversations SET active_leaf_id = (
               SELECT m.id FROM messages AS m WHERE m.conversation_id = conversations.id
               ORDER BY m.created DESC, m.id DESC LIMIT 1)""",
        "CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id)",
        "CREATE INDEX conversations_by_order ON conversations(deleted_at, pinned, updated)",
        # trigram finds substrings in any script (Chinese has no spaces) for queries of
        # three or more characters; shorter ones fall back to LIKE in search.py.
        """CREATE VIRTUAL TABLE messages_fts USING fts5(
               content, content='messages', content_rowid='id', tokenize='trigram')""",
        """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
               INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
           END""",
        """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
               INSERT INTO messages_fts(messages_fts, rowid, content)
               VALUES ('delete', old.id, old.content);
           END""",
        """CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
               INSERT INTO messages_fts(messages_fts, rowid, content)
               VALUES ('delete', old.id, old.content);
               INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
           END""",
        "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
    ]
    for statement in statements:
        conn.execute(statement)


def _to_v3(conn: sqlite3.Connection) -> None:
    """Documents attached to a conversation: their text kept here, gone with the conversation."""
    statements = [
        # mode: whole (the text goes into every turn's context), indexed (retrieved per turn
        # from the conversation's own knowledge base), reading (not done yet), failed.
        """CREATE TABLE attachments (
               id INTEGER PRIMARY KEY,
               conversation_id INTEGER NOT NULL
                   REFERENCES conversations(id) ON DELETE CASCADE,
               name TEXT NOT NULL,
               path TEXT NOT NULL DEFAULT '',
               size INTEGER NOT NULL DEFAULT 0,
               mode TEXT NOT NULL DEFAULT 'reading'
                   CHECK (mode IN ('reading', 'whole', 'indexed', 'failed')),
               tokens INTEGER NOT NULL DEFAULT 0,
               sections TEXT NOT NULL DEFAULT '[]',
               error TEXT NOT NULL DEFAULT '',
               created REAL NOT NULL)""",
        "CREATE INDEX attachments_by_conversation ON attachments(conversation_id, id)",
    ]
    for statement in statements:
        conn.execute(statement)


def _to_v4(conn: sqlite3.Connection) -> None:
    """A thinking model's reasoning and an answer's tool calls, kept apart from its content."""
    statements = [
        # Kept out of content so search, later turns' context and copying see only the answer.
        "ALTER TABLE messages ADD COLUMN reasoning TEXT NOT NULL DEFAULT ''",
        # A JSON list of {name, arguments, result, error, seconds, status}.
        "ALTER TABLE messages ADD COLUMN tool_calls TEXT NOT NULL DEFAULT '[]'",
    ]
    for statement in statements:
        conn.execute(statement)


# MIGRATIONS[n] turns a version n-1 database into version n.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _to_v1,
    2: _to_v2,
    3: _to_v3,
    4: _to_v4,
}


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to ``target``, one step per transaction; returns the old version.

    The connection must be in autocommit mode (isolation_level=None)."""
    current = user_version(conn)
    if current > SCHEMA_VERSION:
        raise NewerDatabaseError(
            "The conversation history was saved by a newer version of desktop-chat "
            f"(database version {current}; this version reads up to {SCHEMA_VERSION}). "
            "Update desktop-chat to open it; the file was left unchanged."
        )
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current
