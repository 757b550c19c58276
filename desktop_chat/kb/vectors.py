"""Passage vectors in the knowledge base's sqlite: float32 blobs, embedded in cancellable batches."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from desktop_chat.kb.embedder import Embedder, from_blobs, to_blob
from desktop_chat.kb.hybrid import is_chinese
from desktop_chat.kb.readers import Cancelled

SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors(
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    model TEXT NOT NULL, vec BLOB NOT NULL);
"""
BATCH = 32


def passage_text(section: str, text: str) -> str:
    """What is embedded: the nearest headings give a short passage its topic."""
    heading = " > ".join(section.split(" > ")[-2:])
    return f"{heading}\n{text}"


def embed_rows(
    db: sqlite3.Connection,
    embedder: Embedder,
    rows: list[tuple[int, str, str]],
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Embed (passage id, section, text) rows and store them; Cancelled between batches."""
    for start in range(0, len(rows), BATCH):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        batch = rows[start : start + BATCH]
        vectors = embedder.embed_passages([passage_text(s, t) for _, s, t in batch])
        db.executemany(
            "INSERT OR REPLACE INTO vectors(passage_id, model, vec) VALUES(?,?,?)",
            [
                (pid, embedder.name, to_blob(v))
                for (pid, _, _), v in zip(batch, vectors, strict=True)
            ],
        )
        if progress is not None:
            progress(min(start + BATCH, len(rows)), len(rows))


def missing(db: sqlite3.Connection, model: str) -> list[tuple[int, str, str]]:
    """Passages without a vector from this model (an older file, or a changed embedder)."""
    return db.execute(
        "SELECT p.id, p.section, p.text FROM passages p LEFT JOIN vectors v"
        " ON v.passage_id = p.id AND v.model = ? WHERE v.passage_id IS NULL ORDER BY p.id",
        (model,),
    ).fetchall()


class Matrix(NamedTuple):
    ids: np.ndarray  # passage ids, ascending
    vectors: np.ndarray  # one normalised row per id
    chinese: np.ndarray  # whether each passage is written in Chinese


def load_matrix(db: sqlite3.Connection, model: str, dim: int) -> Matrix:
    """Every passage embedded by this model, for search."""
    rows = db.execute(
        "SELECT v.passage_id, v.vec, p.text FROM vectors v JOIN passages p ON p.id = v.passage_id"
        " WHERE v.model = ? ORDER BY v.passage_id",
        (model,),
    ).fetchall()
    rows = [row for row in rows if len(row[1]) == dim * 4]
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    chinese = np.fromiter((is_chinese(row[2]) for row in rows), dtype=bool, count=len(rows))
    return Matrix(ids, from_blobs([row[1] for row in rows], dim), chinese)
