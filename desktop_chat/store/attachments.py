"""Documents attached to a conversation: add, read back, update as they are read, remove."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from desktop_chat.store.conversations import fetch_conversation
from desktop_chat.store.db import Database
from desktop_chat.store.errors import StoreError
from desktop_chat.store.records import (
    ATTACHMENT_COLUMNS,
    ATTACHMENT_MODES,
    UNSET,
    Attachment,
    AttachmentMode,
    Unset,
    attachment_from_row,
    dump_json,
)
from desktop_chat.store.rows import fetch_row, given, update_columns


def fetch_attachment(conn: sqlite3.Connection, attachment_id: int) -> Attachment:
    return attachment_from_row(
        fetch_row(conn, "attachments", ATTACHMENT_COLUMNS, attachment_id, "Attachment")
    )


def conversation_attachments(conn: sqlite3.Connection, conversation_id: int) -> list[Attachment]:
    rows = conn.execute(
        f"SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE conversation_id = ? ORDER BY id",
        (conversation_id,),
    ).fetchall()
    return [attachment_from_row(row) for row in rows]


def insert_attachment(conn: sqlite3.Connection, conversation_id: int, item: dict[str, Any]) -> int:
    """One attachment row from a dict with Attachment's fields (an archive's, or a new one)."""
    cursor = conn.execute(
        "INSERT INTO attachments (conversation_id, name, created, path, size, mode, tokens,"
        " sections, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            item["name"],
            item["created"],
            item.get("path", ""),
            item.get("size", 0),
            item.get("mode", "reading"),
            item.get("tokens", 0),
            dump_json(item.get("sections") or []),
            item.get("error", ""),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


class AttachmentsMixin(Database):
    def add_attachment(
        self,
        conversation_id: int,
        name: str,
        *,
        path: str = "",
        size: int = 0,
        now: float | None = None,
    ) -> Attachment:
        """A new attachment, still being read (mode "reading")."""
        stamp = time.time() if now is None else now
        with self._transaction() as conn:
            fetch_conversation(conn, conversation_id)
            new_id = insert_attachment(
                conn, conversation_id, {"name": name, "created": stamp, "path": path, "size": size}
            )
            return fetch_attachment(conn, new_id)

    def get_attachment(self, attachment_id: int) -> Attachment:
        with self._locked() as conn:
            return fetch_attachment(conn, attachment_id)

    def attachments(self, conversation_id: int) -> list[Attachment]:
        """The conversation's attachments, oldest first."""
        with self._locked() as conn:
            return conversation_attachments(conn, conversation_id)

    def update_attachment(
        self,
        attachment_id: int,
        *,
        mode: AttachmentMode | Unset = UNSET,
        tokens: int | Unset = UNSET,
        sections: list[dict[str, Any]] | Unset = UNSET,
        error: str | Unset = UNSET,
    ) -> Attachment:
        if not isinstance(mode, Unset) and mode not in ATTACHMENT_MODES:
            raise StoreError(f"Unknown attachment mode {mode!r}; use one of {ATTACHMENT_MODES}.")
        changes = given(mode=mode, tokens=tokens, error=error)
        if not isinstance(sections, Unset):
            changes["sections"] = dump_json(sections)
        with self._transaction() as conn:
            fetch_attachment(conn, attachment_id)
            update_columns(conn, "attachments", attachment_id, changes)
            return fetch_attachment(conn, attachment_id)

    def remove_attachment(self, attachment_id: int) -> None:
        """Forget an attachment; no error when it is already gone."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))

    def attached_conversations(self) -> set[int]:
        """Ids of the conversations that have an attachment (still stored, deleted or not)."""
        with self._locked() as conn:
            return {
                int(r[0]) for r in conn.execute("SELECT DISTINCT conversation_id FROM attachments")
            }
