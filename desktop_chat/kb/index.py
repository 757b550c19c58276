"""One knowledge base = one sqlite file: incremental indexing of files and hybrid passage search."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb import bilingual, blas_threads, general, hybrid, query, sources, vectors
from desktop_chat.kb.embedder import Embedder, EmbedderError, default_embedder
from desktop_chat.kb.readers import (
    Cancelled,
    DocumentError,
    check_size,
    parse_document,
)
from desktop_chat.kb.records import (
    IndexReport,
    KbError,
    KbStats,
    Passage,
    ProgressCallback,
    SkippedFile,
    database_error,
)
from desktop_chat.kb.text import index_terms

__all__ = [
    "IndexReport",
    "KbError",
    "KbStats",
    "KnowledgeBase",
    "Passage",
    "ProgressCallback",
    "SkippedFile",
    "database_error",
]

log = logging.getLogger(__name__)
SCHEMA_VERSION = 2
CANDIDATES = 80
# A passage must answer enough of the question, and score enough, to count as relevant:
# this is what makes "what is the capital of France" return nothing.
MIN_COVERAGE = 0.25
MIN_SCORE = 0.0

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS roots(path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS documents(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages(
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL,
    n_terms INTEGER NOT NULL, page INTEGER);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    section_terms, body_terms, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row');
"""
    + vectors.SCHEMA
)


class KnowledgeBase:
    """Open (creating if needed) the knowledge base stored in ``path``.

    One object per thread: indexing in a worker and searching in the GUI need two objects.
    """

    def __init__(self, path: Path, embedder: Embedder | None = None) -> None:
        self.path = Path(path)
        self.embedder = embedder if embedder is not None else default_embedder()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KbError(
                f"The knowledge base folder {self.path.parent} cannot be created "
                f"({os_error_reason(exc)})."
            ) from exc
        self._db = sqlite3.connect(self.path)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            vectors.add_heading_column(self._db)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(passages)")}
            if "page" not in columns:  # a version-1 file: its vectors are added on next sync
                self._db.execute("ALTER TABLE passages ADD COLUMN page INTEGER")
                self._db.execute("UPDATE meta SET value=? WHERE key='schema_version'", ("2",))
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise database_error(self.path, exc) from exc
        self._vocab: query.Vocabulary | None = None
        self._matrix: vectors.Matrix | None = None

    @property
    def name(self) -> str:
        return self.path.stem

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- content -------------------------------------------------------------------------

    def roots(self) -> list[Path]:
        return [Path(p) for (p,) in self._db.execute("SELECT path FROM roots ORDER BY path")]

    def add_paths(
        self,
        paths: Iterable[Path | str],
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexReport:
        """Remember files or folders as sources of this knowledge base and index them."""
        try:
            with self._db:
                for path in paths:
                    resolved = Path(path).expanduser().resolve()
                    self._db.execute("INSERT OR IGNORE INTO roots VALUES(?)", (str(resolved),))
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc) from exc
        return self.sync(progress, cancel)

    def sync(
        self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None
    ) -> IndexReport:
        """Bring the index up to date: new and changed files re-chunked, deleted ones removed.

        KbError when the file cannot be written (full disk, read-only folder); what was
        committed before stays, the rest is rolled back.
        """
        try:
            return self._sync(progress, cancel)
        except sqlite3.DatabaseError as exc:
            self._db.rollback()
            self._vocab = None
            self._matrix = None
            raise database_error(self.path, exc) from exc

    def _sync(
        self, progress: ProgressCallback | None, cancel: threading.Event | None
    ) -> IndexReport:
        report = IndexReport()
        roots = self.roots()
        base = sources.common_base(roots)
        found = dict(sources.walk(roots, report))
        known = {
            row[0]: row[1:]
            for row in self._db.execute("SELECT path, id, mtime_ns, size, sha256 FROM documents")
        }
        for path in sorted(set(known) - set(found)):
            self._delete_document(known[path][0])
            report.removed.append(sources.source_name(Path(path), base))
        self._db.commit()
        try:
            for number, (path, file) in enumerate(sorted(found.items()), start=1):
                if cancel is not None and cancel.is_set():
                    raise Cancelled
                source = sources.source_name(file, base)
                if progress is not None:
                    progress(number, len(found), source)
                step = sources.step_progress(progress, source)
                self._sync_file(path, file, source, known.get(path), report, step, cancel)
            self._embed_missing(progress, len(found), cancel)
        except Cancelled:
            self._db.rollback()
            report.cancelled = True
        self._db.commit()
        self._vocab = None
        self._matrix = None
        return report

    def _embed_missing(
        self, progress: ProgressCallback | None, total: int, cancel: threading.Event | None
    ) -> None:
        """Vectors for passages that have none: files indexed by version 1, or a new embedder."""
        rows = vectors.missing(self._db, self.embedder.name)
        if not rows:
            return
        step = sources.step_progress(progress, self.name)
        try:
            with self._db:
                vectors.embed_rows(self._db, self.embedder, rows, cancel, step)
        except EmbedderError as exc:  # words still find passages; the next sync tries again
            log.warning("knowledge base %s: passages not embedded: %s", self.name, exc)

    def _sync_file(
        self,
        path: str,
        file: Path,
        source: str,
        known: tuple[int, int, int, str] | None,
        report: IndexReport,
        step: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        try:
            stat = file.stat()
            if known is not None and known[1:3] == (stat.st_mtime_ns, stat.st_size):
                report.unchanged.append(source)
                return
            check_size(file, stat.st_size)
            data = file.read_bytes()
        except OSError as exc:
            reason = os_error_reason(exc)
            sentence = f"{source} cannot be read ({reason}); check that it is still there."
            report.skipped.append(SkippedFile(source, reason, sentence))
            return
        except DocumentError as exc:
            report.skipped.append(SkippedFile(source, exc.reason, str(exc)))
            return
        digest = hashlib.sha256(data).hexdigest()
        if known is not None and known[3] == digest:
            self._db.execute(
                "UPDATE documents SET mtime_ns=?, size=? WHERE id=?",
                (stat.st_mtime_ns, stat.st_size, known[0]),
            )
            report.unchanged.append(source)
            return
        try:
            parsed = parse_document(file, data, cancel, step)
        except DocumentError as exc:
            report.skipped.append(SkippedFile(source, exc.reason, str(exc)))
            if known is not None:
                self._delete_document(known[0])
            return
        with self._db:
            if known is not None:
                self._delete_document(known[0])
            cursor = self._db.execute(
                "INSERT INTO documents(path, source, title, mtime_ns, size, sha256)"
                " VALUES(?,?,?,?,?,?)",
                (path, source, parsed.title, stat.st_mtime_ns, stat.st_size, digest),
            )
            doc_id = cursor.lastrowid
            rows: list[tuple[int, str, str]] = []
            for ordinal, chunk in enumerate(parsed.sections):
                section_terms = index_terms(chunk.section)
                body_terms = index_terms(chunk.text)
                n_terms = body_terms.count(" ") + section_terms.count(" ") + 2
                row = self._db.execute(
                    "INSERT INTO passages(doc_id, ordinal, section, text, n_terms, page)"
                    " VALUES(?,?,?,?,?,?)",
                    (doc_id, ordinal, chunk.section, chunk.text, n_terms, chunk.page),
                )
                assert row.lastrowid is not None
                rows.append((row.lastrowid, chunk.section, chunk.text))
                self._db.execute(
                    "INSERT INTO passages_fts(rowid, section_terms, body_terms) VALUES(?,?,?)",
                    (row.lastrowid, section_terms, body_terms),
                )
            try:
                vectors.embed_rows(self._db, self.embedder, rows, cancel, step)
            except EmbedderError as exc:  # words still find them; vectors on a later sync
                log.warning("%s: passages not embedded: %s", source, exc)
        (report.updated if known is not None else report.added).append(source)

    def _delete_document(self, doc_id: int) -> None:
        self._db.execute(
            "DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE doc_id=?)",
            (doc_id,),
        )
        self._db.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE id=?", (doc_id,))

    def stats(self) -> KbStats:
        (documents,) = self._db.execute("SELECT count(*) FROM documents").fetchone()
        (passages,) = self._db.execute("SELECT count(*) FROM passages").fetchone()
        return KbStats(documents, passages)

    def documents(self) -> list[tuple[str, str, int]]:
        """(source, title, passage count) for every indexed document."""
        return self._db.execute(
            "SELECT d.source, d.title, count(p.id) FROM documents d"
            " LEFT JOIN passages p ON p.doc_id = d.id GROUP BY d.id ORDER BY d.source"
        ).fetchall()

    # -- search --------------------------------------------------------------------------

    def vocabulary(self) -> query.Vocabulary:
        if self._vocab is None:
            counts = dict(self._db.execute("SELECT term, doc FROM passages_vocab"))
            n, avg = self._db.execute("SELECT count(*), avg(n_terms) FROM passages").fetchone()
            self._vocab = query.Vocabulary(counts, n, float(avg or 1.0))
        return self._vocab

    def search(
        self, question: str, k: int = 5, mode: str = "hybrid", *, gate: bool = True
    ) -> list[Passage]:
        """The best passages for a question, best first; empty when nothing is relevant.

        ``mode`` "lexical" or "dense" uses one ranking alone (the bench compares them).
        ``gate=False`` skips the off-topic test: a document the user attached to this chat is
        what the question is about, however it is worded ("what does it say about fees").
        """
        if k <= 0 or not question.strip():
            return []
        lexical = self.lexical_search(question) if mode != "dense" else []
        if mode == "lexical":
            return self._passages(lexical[:k])
        try:
            matrix = self._vectors()
            query_vector = self.embedder.embed_queries([question])[0]
            general_bank = general.bank(self.embedder) if gate else None
        except EmbedderError as exc:  # words alone still answer
            log.warning("knowledge base %s: dense search unavailable: %s", self.name, exc)
            return self._passages(lexical[:k])
        ids = matrix.ids
        if len(ids) == 0:  # not embedded yet (a version-1 file before its sync): words only
            return self._passages(lexical[:k])
        translated = self.translated_search(question) if mode == "hybrid" else []
        sims = hybrid.similarities(
            matrix.vectors, matrix.heads, matrix.chinese, query_vector, hybrid.is_chinese(question)
        )
        dense = hybrid.dense_top(ids, sims)
        cosines = dict(dense)
        for pid, _ in [*lexical, *translated]:
            at = int(np.searchsorted(ids, pid))
            if pid not in cosines and at < len(ids) and ids[at] == pid:
                cosines[pid] = float(sims[at])
        topic = float(matrix.centroid @ query_vector.astype(np.float32))
        elsewhere = (
            general.nearness(general_bank, query_vector) if general_bank is not None else 0.0
        )
        ranked = hybrid.fuse(
            lexical, dense, cosines, topic, translated=translated, elsewhere=elsewhere, gate=gate
        )
        ranked = hybrid.prefer_own_language(
            ranked, ids, matrix.vectors, matrix.chinese, hybrid.is_chinese(question), k
        )
        return self._passages([(r.passage_id, r.score) for r in ranked[:k]])

    def lexical_search(self, question: str) -> list[tuple[int, float]]:
        """BM25 candidates that cover enough of the question: (passage id, score), best first."""
        vocab = self.vocabulary()
        return self._bm25(query.analyze(question, vocab))

    def translated_search(self, question: str) -> list[tuple[int, float]]:
        """BM25 candidates for the question's words in the other language (bilingual)."""
        return self._bm25(bilingual.translated_concepts(question))

    def _bm25(self, concepts: list[query.Concept]) -> list[tuple[int, float]]:
        vocab = self.vocabulary()
        terms = query.query_terms(concepts, vocab)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self._db.execute(
            "SELECT f.rowid, f.section_terms, f.body_terms FROM passages_fts f"
            " WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts, ?, 1.0) LIMIT ?",
            (match, query.SECTION_BOOST, CANDIDATES),
        ).fetchall()
        scored: list[tuple[int, float]] = []
        for pid, section_terms, body_terms in rows:
            m = query.score_passage(concepts, section_terms, body_terms, vocab)
            # A spelling guess alone ("weather" -> "water") is not evidence of relevance.
            if m.exact == 0 or m.coverage < MIN_COVERAGE or m.score < MIN_SCORE:
                continue
            scored.append((pid, round(m.score * (0.5 + m.coverage), 4)))
        scored.sort(key=lambda p: (-p[1], p[0]))
        return scored

    def _vectors(self) -> vectors.Matrix:
        if self._matrix is None:
            blas_threads.ensure_limited()  # the 10,000 x 512 product: 23 ms -> 1 ms when busy
            self._matrix = vectors.load_matrix(self._db, self.embedder.name, self.embedder.dim)
        return self._matrix

    def _passages(self, ranked: list[tuple[int, float]]) -> list[Passage]:
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = {
            row[0]: row[1:]
            for row in self._db.execute(
                "SELECT p.id, d.source, d.title, p.ordinal, p.section, p.text, p.page"
                " FROM passages p JOIN documents d ON d.id = p.doc_id"
                f" WHERE p.id IN ({marks})",
                [pid for pid, _ in ranked],
            )
        }
        found: list[Passage] = []
        for pid, score in ranked:
            if pid in rows:
                source, title, ordinal, section, text, page = rows[pid]
                found.append(
                    Passage(f"{source}#{ordinal}", source, title, section, text, score, page)
                )
        return found
