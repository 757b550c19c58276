"""What every document reader shares: Section, DocumentError, size limits, text decoding, splitting."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

MAX_PASSAGE_CHARS = 900
SECTION_SEPARATOR = " > "
# A file above this is refused before it is read: a 1 GB log dropped by mistake must not fill
# memory. PDFs and DOCX carry images, so they get more room than plain text.
MAX_TEXT_BYTES = 32 * 1024 * 1024
MAX_BINARY_BYTES = 256 * 1024 * 1024

_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*")

ReadProgress = Callable[[int, int], None]


class DocumentError(Exception):
    """A document that cannot be used; str() is a sentence for the user with a way forward,
    ``reason`` a few words for a list of skipped files."""

    def __init__(self, sentence: str, reason: str = "") -> None:
        super().__init__(sentence)
        self.reason = reason or sentence


class Cancelled(Exception):
    """Reading stopped because the cancel event was set."""


@dataclass(frozen=True)
class Section:
    """A passage of a document with where it sits: its heading path and, for PDFs, its page."""

    heading_path: tuple[str, ...]
    text: str
    page: int | None = None

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(self.heading_path)


@dataclass(frozen=True)
class Document:
    title: str
    sections: list[Section]


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def size_limit(suffix: str) -> int:
    return MAX_BINARY_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES


def too_big(name: str, size: int, limit: int) -> DocumentError:
    return DocumentError(
        f"{name} is {size / 1024 / 1024:,.0f} MB, more than the {limit // 1024 // 1024} MB a "
        "document may have; split it into smaller files or export only the text.",
        "too big",
    )


def decode_text(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise DocumentError(
            f"{name} is not a text file (it holds binary data; perhaps it was renamed). "
            "Add the original document instead.",
            "binary file",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:8192]
        controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
        if controls > len(sample) // 20:
            break
        return text
    raise DocumentError(
        f"{name} is not readable text (perhaps a binary file renamed); save it as UTF-8 text "
        "and add it again.",
        "not readable text",
    )


def split_blocks(heading_path: list[str], text: str, page: int | None = None) -> list[Section]:
    """Group paragraphs into passages of at most MAX_PASSAGE_CHARS, splitting long ones."""
    path = tuple(heading_path)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces.extend(_split_long(paragraph))
    sections: list[Section] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) + 2 > MAX_PASSAGE_CHARS:
            sections.append(Section(path, current, page))
            current = piece
        else:
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        sections.append(Section(path, current, page))
    return sections


def _split_long(paragraph: str) -> list[str]:
    if len(paragraph) <= MAX_PASSAGE_CHARS:
        return [paragraph]
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(paragraph):
        while len(sentence) > MAX_PASSAGE_CHARS:  # no sentence ends: cut hard
            parts.append(sentence[:MAX_PASSAGE_CHARS])
            sentence = sentence[MAX_PASSAGE_CHARS:]
        if current and len(current) + len(sentence) + 1 > MAX_PASSAGE_CHARS:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return parts
