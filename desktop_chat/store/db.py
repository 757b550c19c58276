"""The sqlite connection: pragmas (WAL, foreign keys), locking, transactions, health checks."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from desktop_chat.store.errors import write_failed
from desktop_chat.store.schema import SCHEMA_VERSION, migrate, user_version


class CorruptDatabase(Exception):
    """Internal: the file is not a usable desktop-chat database and should be moved aside."""


_CORRUPT_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def is_corruption(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return any(name.startswith(code) for code in _CORRUPT_CODES)


def connect(path: Path | str, timeout_s: float = 5.0) -> sqlite3.Connection:
    """Open with the pragmas every connection needs; autocommit, transactions are explicit."""
    # One connection is shared by the GUI thread and helpers; Database serialises it.
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=timeout_s
    )
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses at most the last commits on power loss, never consistency,
        # and keeps the once-a-second streaming UPDATE free of an fsync.
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


class Database:
    """Owns one connection; every public method of the store runs under its lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        # Set by open_store when a damaged file was replaced: where the old one now lives.
        self.recovered_from: Path | None = None

    @classmethod
    def open_checked(
        cls, path: Path | None, *, check: bool = True, timeout_s: float = 5.0
    ) -> sqlite3.Connection:
        """Connect, verify the file, migrate; raises CorruptDatabase for an unusable file."""
        conn = connect(path if path is not None else ":memory:", timeout_s)
        try:
            if check:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise CorruptDatabase(result)
            if (
                user_version(conn) == 0
                and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            ):
                raise CorruptDatabase("an sqlite database that desktop-chat did not create")
            migrate(conn, SCHEMA_VERSION)
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                # Disk full, read-only folder, a lock held elsewhere: every caller gets the
                # same sentence instead of a raw sqlite error escaping into the UI.
                raise write_failed(exc) from exc

    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    @property
    def schema_version(self) -> int:
        with self._locked() as conn:
            return user_version(conn)

    def integrity_problems(self) -> list[str]:
        """Empty when PRAGMA integrity_check, the foreign keys and the search index are sound."""
        with self._locked() as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [
                f"foreign key: {tuple(row)}" for row in conn.execute("PRAGMA foreign_key_check")
            ]
            try:
                conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index: {exc}")
            return problems

    def checkpoint(self) -> None:
        """Fold the WAL into the main file (before a backup copy, or at exit)."""
        with self._locked() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
