"""The Store object and open_store(): moves a damaged database aside and starts a fresh one."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from desktop_chat import paths
from desktop_chat.fsutil import move_aside
from desktop_chat.store.archive import ArchiveMixin
from desktop_chat.store.attachments import AttachmentsMixin
from desktop_chat.store.conversations import ConversationsMixin
from desktop_chat.store.db import CorruptDatabase, Database, is_corruption
from desktop_chat.store.errors import DatabaseUnavailableError
from desktop_chat.store.messages import MessagesMixin
from desktop_chat.store.search import SearchMixin


class Store(
    ConversationsMixin, MessagesMixin, AttachmentsMixin, SearchMixin, ArchiveMixin, Database
):
    """All conversations; safe to share between threads (calls are serialised)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _move_aside_with_journal(path: Path) -> Path:
    moved = move_aside(path)
    # The WAL belongs to the old file: left beside a fresh database it could be replayed
    # into it. Keep it next to the moved file so a recovery tool can still use both.
    for suffix in ("-wal", "-journal"):
        sidecar = Path(f"{path}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{moved}{suffix}"))
    Path(f"{path}-shm").unlink(missing_ok=True)
    return moved


def _unavailable(path: Path, exc: sqlite3.Error) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        f"The conversation history at {path} cannot be opened ({exc}). If desktop-chat is "
        "already running, close it and try again; otherwise check the folder's permissions "
        "and free disk space."
    )


def open_store(
    path: Path | None = None, *, check: bool = True, timeout_s: float = 5.0
) -> tuple[Store, str | None]:
    """Open (creating and migrating as needed) the conversation database.

    Returns the store and None, or, when the file was damaged or not a database, a fresh
    store and a sentence telling the user where the old file was moved (also kept in
    ``store.recovered_from``). Raises NewerDatabaseError for a database from a newer version
    (left untouched) and DatabaseUnavailableError when it is locked or cannot be read.
    ``check`` runs PRAGMA quick_check on open; ``timeout_s`` is how long to wait for a lock."""
    path = Path(path).absolute() if path is not None else paths.database_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return Store(Store.open_checked(path, check=check, timeout_s=timeout_s), path), None
    except CorruptDatabase:
        pass
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise _unavailable(path, exc) from exc
    moved = _move_aside_with_journal(path)
    try:
        store = Store(Store.open_checked(path, check=False, timeout_s=timeout_s), path)
    except sqlite3.Error as exc:
        raise _unavailable(path, exc) from exc
    store.recovered_from = moved
    notice = (
        "Your conversation history could not be read, so a new, empty one was started. "
        f"The old file was kept at {moved}."
    )
    return store, notice


def open_memory_store() -> Store:
    """A throw-away store (tests, or running on after the real one could not be opened)."""
    return Store(Store.open_checked(None, check=False), None)
