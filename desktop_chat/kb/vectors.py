"""Passage vectors in the knowledge base's sqlite: float32 blobs, embedded in cancellable batches.

Each passage has two: its text under its nearest headings, and its own heading alone (a
question often restates a section's title; see hybrid.HEADING_WEIGHT).
"""

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
    model TEXT NOT NULL, vec BLOB NOT NULL, head BLOB);
"""
BATCH = 32


def passage_text(section: str, text: str) -> str:
    """What is embedded: the nearest headings give a short passage its topic."""
    heading = " > ".join(section.split(" > ")[-2:])
    return f"{heading}\n{text}"


def heading_text(section: str) -> str:
    """The heading embedded on its own: the passage's nearest one."""
    return section.split(" > ")[-1]


def add_heading_column(db: sqlite3.Connection) -> None:
    """Files written before heading vectors get the column; their passages are re-embedded."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(vectors)")}
    if "head" not in columns:
        db.execute("ALTER TABLE vectors ADD COLUMN head BLOB")


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
        texts = [passage_text(s, t) for _, s, t in batch]
        # Passages cut from one long section share their heading: embed each heading once.
        headings = list(dict.fromkeys(heading_text(s) for _, s, _ in batch))
        embedded = embedder.embed_passages(texts + headings)
        head_of = dict(zip(headings, embedded[len(texts) :], strict=True))
        db.executemany(
            "INSERT OR REPLACE INTO vectors(passage_id, model, vec, head) VALUES(?,?,?,?)",
            [
                (pid, embedder.name, to_blob(v), to_blob(head_of[heading_text(s)]))
                for (pid, s, _), v in zip(batch, embedded[: len(texts)], strict=True)
            ],
        )
        if progress is not None:
            progress(min(start + BATCH, len(rows)), len(rows))


def missing(db: sqlite3.Connection, model: str) -> list[tuple[int, str, str]]:
    """Passages without vectors from this model (an older file, or a changed embedder)."""
    return db.execute(
        "SELECT p.id, p.section, p.text FROM passages p LEFT JOIN vectors v"
        " ON v.passage_id = p.id AND v.model = ?"
        " WHERE v.passage_id IS NULL OR v.head IS NULL ORDER BY p.id",
        (model,),
    ).fetchall()


class Matrix(NamedTuple):
    ids: np.ndarray  # passage ids, ascending
    vectors: np.ndarray  # one normalised row per id
    heads: np.ndarray  # its heading's vector (the passage's own until it is re-embedded)
    chinese: np.ndarray  # whether each passage is written in Chinese
    centroid: np.ndarray  # the unit mean of the vectors: what this knowledge base is about


def load_matrix(db: sqlite3.Connection, model: str, dim: int) -> Matrix:
    """Every passage embedded by this model, for search."""
    rows = db.execute(
        "SELECT v.passage_id, v.vec, v.head, p.text FROM vectors v"
        " JOIN passages p ON p.id = v.passage_id WHERE v.model = ? ORDER BY v.passage_id",
        (model,),
    ).fetchall()
    rows = [row for row in rows if len(row[1]) == dim * 4]
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    chinese = np.fromiter((is_chinese(row[3]) for row in rows), dtype=bool, count=len(rows))
    matrix = from_blobs([row[1] for row in rows], dim)
    heads = from_blobs(
        [row[2] if row[2] is not None and len(row[2]) == dim * 4 else row[1] for row in rows], dim
    )
    centroid = matrix.mean(axis=0) if len(rows) else np.zeros(dim, dtype=np.float32)
    norm = float(np.linalg.norm(centroid))
    return Matrix(ids, matrix, heads, chinese, (centroid / (norm or 1.0)).astype(np.float32))
