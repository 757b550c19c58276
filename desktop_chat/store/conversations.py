"""Conversation rows: create, list newest first, rename, pin, settings, soft delete and undo."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from desktop_chat.store.db import Database
from desktop_chat.store.errors import StoreError
from desktop_chat.store.records import (
    CONTEXT_POLICIES,
    CONVERSATION_COLUMNS,
    UNSET,
    ContextPolicy,
    Conversation,
    Unset,
    conversation_from_row,
    dump_json,
)
from desktop_chat.store.rows import fetch_row, given, update_columns


def fetch_conversation(conn: sqlite3.Connection, conversation_id: int) -> Conversation:
    return conversation_from_row(
        fetch_row(conn, "conversations", CONVERSATION_COLUMNS, conversation_id, "Conversation")
    )


def _check_policy(policy: str) -> None:
    if policy not in CONTEXT_POLICIES:
        raise StoreError(f"Unknown context policy {policy!r}; use one of {CONTEXT_POLICIES}.")


class ConversationsMixin(Database):
    def create_conversation(
        self,
        title: str = "",
        *,
        model: str | None = None,
        profile: str | None = None,
        context_policy: ContextPolicy = "drop_oldest",
        settings: dict[str, Any] | None = None,
        pinned: bool = False,
        now: float | None = None,
    ) -> Conversation:
        _check_policy(context_policy)
        stamp = time.time() if now is None else now
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO conversations (title, created, updated, model, profile, pinned,"
                " context_policy, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    title,
                    stamp,
                    stamp,
                    model,
                    profile,
                    int(pinned),
                    context_policy,
                    dump_json(settings),
                ),
            )
            assert cursor.lastrowid is not None
            return fetch_conversation(conn, cursor.lastrowid)

    def get_conversation(self, conversation_id: int) -> Conversation:
        """Also returns a soft-deleted conversation (its ``deleted_at`` is set)."""
        with self._locked() as conn:
            return fetch_conversation(conn, conversation_id)

    def list_conversations(self, *, include_deleted: bool = False) -> list[Conversation]:
        """Pinned first, then most recently updated first; equal times newest first by id, so
        the order never rests on how sqlite happens to scan the table."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        with self._locked() as conn:
            rows = conn.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations {where}"
                " ORDER BY pinned DESC, updated DESC, id DESC"
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def update_conversation(
        self,
        conversation_id: int,
        *,
        title: str | Unset = UNSET,
        model: str | Unset | None = UNSET,
        profile: str | Unset | None = UNSET,
        pinned: bool | Unset = UNSET,
        context_policy: ContextPolicy | Unset = UNSET,
        settings: dict[str, Any] | Unset | None = UNSET,
        touch: bool = False,
    ) -> Conversation:
        """Change only the given fields; ``touch`` also moves it to the top of the list."""
        changes = given(title=title, model=model, profile=profile, context_policy=context_policy)
        if not isinstance(pinned, Unset):
            changes["pinned"] = int(pinned)
        if not isinstance(context_policy, Unset):
            _check_policy(context_policy)
        if not isinstance(settings, Unset):
            changes["settings"] = dump_json(settings)
        if touch:
            changes["updated"] = time.time()
        with self._transaction() as conn:
            fetch_conversation(conn, conversation_id)
            update_columns(conn, "conversations", conversation_id, changes)
            return fetch_conversation(conn, conversation_id)

    def rename_conversation(self, conversation_id: int, title: str) -> Conversation:
        return self.update_conversation(conversation_id, title=title)

    def set_pinned(self, conversation_id: int, pinned: bool) -> Conversation:
        return self.update_conversation(conversation_id, pinned=pinned)

    def delete_conversation(self, conversation_id: int, *, now: float | None = None) -> None:
        """Soft delete: hidden from lists and search until restored or purged."""
        stamp = time.time() if now is None else now
        with self._transaction() as conn:
            fetch_conversation(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (stamp, conversation_id),
            )

    def restore_conversation(self, conversation_id: int) -> Conversation:
        """Undo of delete_conversation; raises NotFoundError once it has been purged."""
        with self._transaction() as conn:
            fetch_conversation(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET deleted_at = NULL WHERE id = ?", (conversation_id,)
            )
            return fetch_conversation(conn, conversation_id)

    def purge_deleted(self, older_than_s: float = 0.0, *, now: float | None = None) -> int:
        """Really delete conversations soft-deleted at least ``older_than_s`` ago; returns count."""
        cutoff = (time.time() if now is None else now) - older_than_s
        with self._transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (cutoff,),
            )
            return cursor.rowcount

    def purge_conversation(self, conversation_id: int) -> None:
        """Delete at once, with its messages, without the undo window."""
        with self._transaction() as conn:
            fetch_conversation(conn, conversation_id)
            conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
