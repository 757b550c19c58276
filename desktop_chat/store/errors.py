"""Errors the store raises; str() of each is a sentence fit to show the user."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: anything the conversation store refuses or cannot do."""


class NotFoundError(StoreError):
    """A conversation or message id that is not in the database."""


class DatabaseUnavailableError(StoreError):
    """The database exists but cannot be used now (locked, unreadable folder, disk error)."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer desktop-chat; it is left untouched."""


class ArchiveError(StoreError):
    """An import file that is malformed or from a newer format; nothing was imported."""


def write_failed(exc: Exception) -> DatabaseUnavailableError:
    """The sentence for a write the database refused; nothing of the change was stored."""
    reason = str(exc)
    if "full" in reason.lower():
        reason = "the disk is full"
    return DatabaseUnavailableError(
        f"The conversation could not be saved ({reason}). Free some disk space or close other "
        "copies of desktop-chat; nothing already saved was lost."
    )
