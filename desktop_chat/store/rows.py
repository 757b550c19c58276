"""One row by id and a change to some of its columns: what each table's module does alike."""

from __future__ import annotations

import sqlite3

from desktop_chat.store.errors import NotFoundError
from desktop_chat.store.records import Unset


def fetch_row(
    conn: sqlite3.Connection, table: str, columns: str, row_id: int, what: str
) -> sqlite3.Row:
    """The row ``row_id`` of ``table``; NotFoundError ("<what> <id> does not exist.")."""
    row = conn.execute(f"SELECT {columns} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"{what} {row_id} does not exist.")
    return row


def given(**values: object) -> dict[str, object]:
    """The values that were passed (not UNSET), by column name."""
    return {name: value for name, value in values.items() if not isinstance(value, Unset)}


def update_columns(
    conn: sqlite3.Connection, table: str, row_id: int, changes: dict[str, object]
) -> None:
    """Set ``changes`` (column -> value) on the row ``row_id``; nothing when there are none."""
    if not changes:
        return
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
