"""Document readers, one module per format, behind read_document(path) -> list[Section]."""

from __future__ import annotations

import threading
from pathlib import Path

from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb.readers.base import (
    MAX_PASSAGE_CHARS,
    SECTION_SEPARATOR,
    Cancelled,
    Document,
    DocumentError,
    ReadProgress,
    Section,
    decode_text,
    size_limit,
    too_big,
)

__all__ = [
    "MAX_PASSAGE_CHARS",
    "SECTION_SEPARATOR",
    "SUPPORTED_SUFFIXES",
    "Cancelled",
    "Document",
    "DocumentError",
    "ReadProgress",
    "Section",
    "check_size",
    "is_supported",
    "parse_document",
    "read_document",
    "read_file",
]

SUPPORTED_SUFFIXES = frozenset(
    {".md", ".markdown", ".txt", ".text", ".csv", ".html", ".htm", ".pdf", ".docx"}
)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def title_for(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name


def check_size(path: Path, size: int) -> None:
    """DocumentError when a file is too big to read, before a byte of it is read."""
    limit = size_limit(path.suffix.lower())
    if size > limit:
        raise too_big(path.name, size, limit)


def read_document(
    path: Path | str,
    cancel: threading.Event | None = None,
    progress: ReadProgress | None = None,
) -> list[Section]:
    """The passages of one document; DocumentError with a sentence, Cancelled on cancel."""
    return read_file(Path(path), cancel, progress).sections


def read_file(
    path: Path,
    cancel: threading.Event | None = None,
    progress: ReadProgress | None = None,
) -> Document:
    """Like read_document, with the document's title."""
    try:
        check_size(path, path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        reason = os_error_reason(exc)
        raise DocumentError(f"{path.name} cannot be read ({reason}).", reason) from exc
    return parse_document(path, data, cancel, progress)


def parse_document(
    path: Path,
    data: bytes,
    cancel: threading.Event | None = None,
    progress: ReadProgress | None = None,
) -> Document:
    """Split one file's bytes into sections; DocumentError when it cannot be used."""
    suffix = path.suffix.lower()
    name = path.name
    title = title_for(path)
    check_size(path, len(data))
    if not data.strip():
        raise DocumentError(f"{name} is empty; add a document that has some text.", "empty")
    if suffix == ".pdf":
        from desktop_chat.kb.readers.pdf import read_pdf

        document = read_pdf(data, name, title, cancel, progress)
    elif suffix == ".docx":
        from desktop_chat.kb.readers.docx import read_docx

        document = read_docx(data, name, title, cancel)
    else:
        document = _read_text(suffix, decode_text(name, data), title)
    if not document.sections:
        raise DocumentError(
            f"{name} has no text to index; add a document that has some text.", "no text"
        )
    return document


def _read_text(suffix: str, text: str, title: str) -> Document:
    from desktop_chat.kb.readers import csv_qa, html, markdown

    if suffix == ".csv":
        return csv_qa.read_csv(text, title)
    if suffix in (".html", ".htm"):
        return html.read_html(text, title)
    if suffix in (".txt", ".text"):
        return markdown.read_plain(text, title)
    return markdown.read_markdown(text, title)
