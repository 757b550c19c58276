"""Knowledge-base records: the error, a retrieved passage, what an indexing run did."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class KbError(Exception):
    """A knowledge-base problem the user can act on; str() is a plain sentence."""


def database_error(path: Path, exc: sqlite3.DatabaseError) -> KbError:
    """The sentence for a sqlite error: a write refused (full disk, read-only) or a bad file."""
    reason = str(exc)
    lowered = reason.lower()
    if "full" in lowered:
        return KbError(
            f'The knowledge base "{path.stem}" could not be written: the disk is full. '
            "Free some disk space and try again."
        )
    if isinstance(exc, sqlite3.OperationalError):
        # readonly, unable to open, locked, I/O error: the file may be fine, its place is not.
        return KbError(
            f'The knowledge base "{path.stem}" could not be written ({reason}). Check that the '
            f"folder {path.parent} is writable and that no other program holds the file."
        )
    return KbError(f"The knowledge base file {path.name} is damaged: {reason}.")


@dataclass(frozen=True)
class Passage:
    """A retrieved passage. ``id`` ("en/shipping.md#2") is stable while its file is unchanged."""

    id: str
    source: str
    title: str
    section: str
    text: str
    score: float = 0.0
    page: int | None = None


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str  # a few words ("binary file") for a list
    sentence: str = ""  # the whole story with a way forward, when there is one


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    cancelled: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class KbStats:
    documents: int
    passages: int


ProgressCallback = Callable[[int, int, str], None]
