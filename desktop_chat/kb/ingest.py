"""The older file-parsing API, kept for callers: now a thin layer over kb.readers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_chat.kb.readers import (
    MAX_PASSAGE_CHARS,
    SECTION_SEPARATOR,
    SUPPORTED_SUFFIXES,
    DocumentError,
    is_supported,
)
from desktop_chat.kb.readers import parse_document as _parse
from desktop_chat.kb.readers.base import decode_text as _decode
from desktop_chat.kb.readers.html import html_to_markdown

__all__ = [
    "MAX_PASSAGE_CHARS",
    "SECTION_SEPARATOR",
    "SUPPORTED_SUFFIXES",
    "Chunk",
    "ParsedDocument",
    "UnreadableFileError",
    "decode_text",
    "html_to_markdown",
    "is_supported",
    "parse_document",
    "pdf_supported",
]

UnreadableFileError = DocumentError


@dataclass(frozen=True)
class Chunk:
    section: str
    text: str


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    chunks: list[Chunk]


def pdf_supported() -> bool:
    return True  # pypdf is a declared dependency


def decode_text(data: bytes) -> str:
    return _decode("the file", data)


def parse_document(path: Path, data: bytes) -> ParsedDocument:
    document = _parse(path, data)
    return ParsedDocument(document.title, [Chunk(s.section, s.text) for s in document.sections])
