"""One knowledge base = one sqlite file: incremental indexing of files and passage search."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb import query
from desktop_chat.kb.ingest import UnreadableFileError, is_supported, parse_document
from desktop_chat.kb.text import index_terms

SCHEMA_VERSION = 1
CANDIDATES = 80
# A passage must answer enough of the question, and score enough, to count as relevant:
# this is what makes "what is the capital of France" return nothing.
MIN_COVERAGE = 0.25
MIN_SCORE = 0.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS roots(path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS documents(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages(
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL,
    n_terms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    section_terms, body_terms, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row');
"""


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


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


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


class KnowledgeBase:
    """Open (creating if needed) the knowledge base stored in ``path``.

    One object per thread: indexing in a worker and searching in the GUI need two objects.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
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
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise database_error(self.path, exc) from exc
        self._vocab: query.Vocabulary | None = None

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
            raise database_error(self.path, exc) from exc

    def _sync(
        self, progress: ProgressCallback | None, cancel: threading.Event | None
    ) -> IndexReport:
        report = IndexReport()
        roots = self.roots()
        base = _common_base(roots)
        found = dict(_walk(roots, report))
        known = {
            row[0]: row[1:]
            for row in self._db.execute("SELECT path, id, mtime_ns, size, sha256 FROM documents")
        }
        for path in sorted(set(known) - set(found)):
            self._delete_document(known[path][0])
            report.removed.append(_source(Path(path), base))
        for number, (path, file) in enumerate(sorted(found.items()), start=1):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            source = _source(file, base)
            if progress is not None:
                progress(number, len(found), source)
            self._sync_file(path, file, source, known.get(path), report)
        self._db.commit()
        self._vocab = None
        return report

    def _sync_file(
        self,
        path: str,
        file: Path,
        source: str,
        known: tuple[int, int, int, str] | None,
        report: IndexReport,
    ) -> None:
        try:
            stat = file.stat()
            if known is not None and known[1:3] == (stat.st_mtime_ns, stat.st_size):
                report.unchanged.append(source)
                return
            data = file.read_bytes()
        except OSError as exc:
            report.skipped.append(SkippedFile(source, exc.strerror or "cannot be read"))
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
            parsed = parse_document(file, data)
        except UnreadableFileError as exc:
            report.skipped.append(SkippedFile(source, str(exc)))
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
            for ordinal, chunk in enumerate(parsed.chunks):
                section_terms = index_terms(chunk.section)
                body_terms = index_terms(chunk.text)
                n_terms = body_terms.count(" ") + section_terms.count(" ") + 2
                row = self._db.execute(
                    "INSERT INTO passages(doc_id, ordinal, section, text, n_terms)"
                    " VALUES(?,?,?,?,?)",
                    (doc_id, ordinal, chunk.section, chunk.text, n_terms),
                )
                self._db.execute(
                    "INSERT INTO passages_fts(rowid, section_terms, body_terms) VALUES(?,?,?)",
                    (row.lastrowid, section_terms, body_terms),
                )
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

    def search(self, question: str, k: int = 5) -> list[Passage]:
        """The best passages for a question, best first; empty when nothing is relevant."""
        vocab = self.vocabulary()
        concepts = query.analyze(question, vocab)
        terms = query.query_terms(concepts, vocab)
        if not terms or k <= 0:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self._db.execute(
            "SELECT p.id, d.source, d.title, p.ordinal, p.section, p.text,"
            " f.section_terms, f.body_terms FROM passages_fts f"
            " JOIN passages p ON p.id = f.rowid JOIN documents d ON d.id = p.doc_id"
            " WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts, ?, 1.0) LIMIT ?",
            (match, query.SECTION_BOOST, CANDIDATES),
        ).fetchall()
        scored: list[Passage] = []
        for _, source, title, ordinal, section, text, section_terms, body_terms in rows:
            m = query.score_passage(concepts, section_terms, body_terms, vocab)
            # A spelling guess alone ("weather" -> "water") is not evidence of relevance.
            if m.exact == 0 or m.coverage < MIN_COVERAGE or m.score < MIN_SCORE:
                continue
            final = round(m.score * (0.5 + m.coverage), 4)
            scored.append(Passage(f"{source}#{ordinal}", source, title, section, text, final))
        scored.sort(key=lambda p: (-p.score, p.id))
        return scored[:k]


def _walk(roots: list[Path], report: IndexReport) -> Iterator[tuple[str, Path]]:
    """Supported files under the roots; named files of other types are reported as skipped."""
    for root in roots:
        if root.is_file():
            if is_supported(root):
                yield str(root), root
            else:
                report.skipped.append(SkippedFile(root.name, "unsupported file type"))
        elif root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(folder, name)
                    if not name.startswith(".") and is_supported(file):
                        yield str(file), file
        else:
            report.skipped.append(SkippedFile(str(root), "not found"))


def _common_base(roots: list[Path]) -> Path | None:
    folders = [r if r.is_dir() else r.parent for r in roots]
    if not folders:
        return None
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives on Windows
        return None


def _source(file: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return file.relative_to(base).as_posix()
        except ValueError:
            pass
    return file.name
