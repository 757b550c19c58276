"""Messages as a tree: active thread, sibling branches ("< 2/3 >"), add, stream, delete."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from desktop_chat.store.conversations import fetch_conversation
from desktop_chat.store.db import Database
from desktop_chat.store.errors import NotFoundError, StoreError
from desktop_chat.store.records import (
    MESSAGE_COLUMNS,
    ROLES,
    STOP_REASONS,
    UNSET,
    Message,
    Role,
    Siblings,
    StopReason,
    Unset,
    dump_json,
    message_from_row,
)

_SUBTREE = """WITH RECURSIVE subtree(id) AS (
    SELECT ? UNION ALL
    SELECT m.id FROM messages AS m JOIN subtree ON m.parent_id = subtree.id)"""


def fetch_message(conn: sqlite3.Connection, message_id: int) -> Message:
    row = conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Message {message_id} does not exist.")
    return message_from_row(row)


def latest_leaf_under(conn: sqlite3.Connection, message_id: int) -> int:
    """The most recent message at the end of any path through ``message_id``."""
    row = conn.execute(
        f"""{_SUBTREE}
        SELECT m.id FROM messages AS m JOIN subtree USING (id)
        WHERE NOT EXISTS (SELECT 1 FROM messages AS c WHERE c.parent_id = m.id)
        ORDER BY m.created DESC, m.id DESC LIMIT 1""",
        (message_id,),
    ).fetchone()
    return int(row[0]) if row else message_id


def active_leaf(conn: sqlite3.Connection, conversation_id: int) -> int | None:
    conversation = fetch_conversation(conn, conversation_id)
    leaf = conversation.active_leaf_id
    if leaf is not None:
        found = conn.execute(
            "SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?", (leaf, conversation_id)
        ).fetchone()
        if found:
            return leaf
    row = conn.execute(
        "SELECT id FROM messages WHERE conversation_id = ? ORDER BY created DESC, id DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    return int(row[0]) if row else None


def thread_to(conn: sqlite3.Connection, leaf_id: int | None) -> list[Message]:
    if leaf_id is None:
        return []
    rows = conn.execute(
        f"""WITH RECURSIVE path(id, depth) AS (
            SELECT ?, 0 UNION ALL
            SELECT m.parent_id, path.depth + 1 FROM messages AS m JOIN path ON m.id = path.id
            WHERE m.parent_id IS NOT NULL)
        SELECT {MESSAGE_COLUMNS} FROM messages JOIN path USING (id) ORDER BY path.depth DESC""",
        (leaf_id,),
    ).fetchall()
    return [message_from_row(row) for row in rows]


def _set_leaf(conn: sqlite3.Connection, conversation_id: int, leaf_id: int | None) -> None:
    conn.execute(
        "UPDATE conversations SET active_leaf_id = ? WHERE id = ?", (leaf_id, conversation_id)
    )


class MessagesMixin(Database):
    def add_message(
        self,
        conversation_id: int,
        role: Role,
        content: str = "",
        *,
        parent_id: int | Unset | None = UNSET,
        complete: bool = True,
        tokens: int | None = None,
        model: str | None = None,
        ttft_s: float | None = None,
        tokens_per_s: float | None = None,
        stop_reason: StopReason | None = None,
        citations: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        reasoning: str = "",
        tool_calls: list[dict[str, Any]] | None = None,
        activate: bool = True,
        now: float | None = None,
    ) -> Message:
        """Add a message; by default after the active thread's last message.

        ``parent_id=None`` starts a new root (an edited first question); an explicit id adds a
        sibling branch under that parent. With ``activate`` the new message becomes the leaf
        of the active thread."""
        if role not in ROLES:
            raise StoreError(f"Unknown role {role!r}; use one of {ROLES}.")
        if stop_reason is not None and stop_reason not in STOP_REASONS:
            raise StoreError(f"Unknown stop reason {stop_reason!r}; use one of {STOP_REASONS}.")
        stamp = time.time() if now is None else now
        with self._transaction() as conn:
            if isinstance(parent_id, Unset):
                parent = active_leaf(conn, conversation_id)
            else:
                fetch_conversation(conn, conversation_id)
                parent = parent_id
                if parent is not None and fetch_message(conn, parent).conversation_id != (
                    conversation_id
                ):
                    raise StoreError(
                        f"Message {parent} belongs to another conversation, not {conversation_id}."
                    )
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, created,"
                " tokens, model, ttft_s, tokens_per_s, stop_reason, complete, citations, metadata,"
                " reasoning, tool_calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    parent,
                    role,
                    content,
                    stamp,
                    tokens,
                    model,
                    ttft_s,
                    tokens_per_s,
                    stop_reason,
                    int(complete),
                    dump_json(citations or []),
                    dump_json(metadata or {}),
                    reasoning,
                    dump_json(tool_calls or []),
                ),
            )
            assert cursor.lastrowid is not None
            if activate:
                _set_leaf(conn, conversation_id, cursor.lastrowid)
            conn.execute(
                "UPDATE conversations SET updated = ? WHERE id = ?", (stamp, conversation_id)
            )
            return fetch_message(conn, cursor.lastrowid)

    def get_message(self, message_id: int) -> Message:
        with self._locked() as conn:
            return fetch_message(conn, message_id)

    def update_message(
        self,
        message_id: int,
        *,
        content: str | Unset = UNSET,
        complete: bool | Unset = UNSET,
        stop_reason: StopReason | Unset | None = UNSET,
        tokens: int | Unset | None = UNSET,
        model: str | Unset | None = UNSET,
        ttft_s: float | Unset | None = UNSET,
        tokens_per_s: float | Unset | None = UNSET,
        citations: list[dict[str, Any]] | Unset = UNSET,
        metadata: dict[str, Any] | Unset = UNSET,
        reasoning: str | Unset = UNSET,
        tool_calls: list[dict[str, Any]] | Unset = UNSET,
    ) -> None:
        """Change only the given fields, in place, with a single UPDATE.

        Cheap enough to call once a second while an answer streams (content only); pass
        ``complete=True`` and the stop reason at the end, which also moves the conversation
        to the top of the list."""
        if isinstance(stop_reason, str) and stop_reason not in STOP_REASONS:
            raise StoreError(f"Unknown stop reason {stop_reason!r}; use one of {STOP_REASONS}.")
        changes: dict[str, object] = {}
        for name, value in (
            ("content", content),
            ("stop_reason", stop_reason),
            ("tokens", tokens),
            ("model", model),
            ("ttft_s", ttft_s),
            ("tokens_per_s", tokens_per_s),
            ("reasoning", reasoning),
        ):
            if not isinstance(value, Unset):
                changes[name] = value
        if not isinstance(complete, Unset):
            changes["complete"] = int(complete)
        if not isinstance(citations, Unset):
            changes["citations"] = dump_json(citations)
        if not isinstance(metadata, Unset):
            changes["metadata"] = dump_json(metadata)
        if not isinstance(tool_calls, Unset):
            changes["tool_calls"] = dump_json(tool_calls)
        if not changes:
            return
        assignments = ", ".join(f"{name} = ?" for name in changes)
        if complete is not True:
            with self._locked() as conn:
                # Autocommit: the statement is its own transaction, no BEGIN/COMMIT round trips.
                cursor = conn.execute(
                    f"UPDATE messages SET {assignments} WHERE id = ?",
                    (*changes.values(), message_id),
                )
                if cursor.rowcount == 0:
                    raise NotFoundError(f"Message {message_id} does not exist.")
            return
        with self._transaction() as conn:
            cursor = conn.execute(
                f"UPDATE messages SET {assignments} WHERE id = ?", (*changes.values(), message_id)
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"Message {message_id} does not exist.")
            conn.execute(
                "UPDATE conversations SET updated = ? WHERE id ="
                " (SELECT conversation_id FROM messages WHERE id = ?)",
                (time.time(), message_id),
            )

    def active_thread(self, conversation_id: int) -> list[Message]:
        """The messages the user sees, root first, following the chosen branch at each fork."""
        with self._locked() as conn:
            return thread_to(conn, active_leaf(conn, conversation_id))

    def children(self, message_id: int) -> list[Message]:
        with self._locked() as conn:
            fetch_message(conn, message_id)
            rows = conn.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE parent_id = ? ORDER BY created, id",
                (message_id,),
            ).fetchall()
        return [message_from_row(row) for row in rows]

    def siblings(self, message_id: int) -> Siblings:
        """The alternatives sharing this message's parent, oldest first (itself included)."""
        with self._locked() as conn:
            message = fetch_message(conn, message_id)
            ids = tuple(
                int(row[0])
                for row in conn.execute(
                    "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ?"
                    " ORDER BY created, id",
                    (message.conversation_id, message.parent_id),
                )
            )
        return Siblings(ids=ids, index=ids.index(message_id))

    def switch_to_sibling(self, message_id: int) -> list[Message]:
        """Show the branch through ``message_id`` (and its most recent continuation).

        Works for any message, e.g. a search hit on another branch; returns the new thread."""
        with self._transaction() as conn:
            message = fetch_message(conn, message_id)
            leaf = latest_leaf_under(conn, message_id)
            _set_leaf(conn, message.conversation_id, leaf)
            return thread_to(conn, leaf)

    def delete_message(self, message_id: int) -> list[Message]:
        """Delete a message and every reply under it; returns the resulting active thread.

        If the active thread went with it, the newest remaining sibling's branch is shown,
        else the thread ends at the deleted message's parent."""
        with self._transaction() as conn:
            message = fetch_message(conn, message_id)
            conversation_id = message.conversation_id
            leaf = active_leaf(conn, conversation_id)
            subtree = {
                int(row[0])
                for row in conn.execute(f"{_SUBTREE} SELECT id FROM subtree", (message_id,))
            }
            conn.execute(
                f"{_SUBTREE} DELETE FROM messages WHERE id IN (SELECT id FROM subtree)",
                (message_id,),
            )
            if leaf is None or leaf in subtree:
                sibling = conn.execute(
                    "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ?"
                    " ORDER BY created DESC, id DESC LIMIT 1",
                    (conversation_id, message.parent_id),
                ).fetchone()
                if sibling is not None:
                    leaf = latest_leaf_under(conn, int(sibling[0]))
                else:
                    leaf = message.parent_id
                _set_leaf(conn, conversation_id, leaf)
            return thread_to(conn, active_leaf(conn, conversation_id))
