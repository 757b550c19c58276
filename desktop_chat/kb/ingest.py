"""Read supported files (Markdown, text, CSV, HTML, PDF) and split them into titled passages."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset(
    {".md", ".markdown", ".txt", ".text", ".csv", ".html", ".htm", ".pdf"}
)
MAX_PASSAGE_CHARS = 900
SECTION_SEPARATOR = " > "

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*")
_QUESTION_HEADERS = ("question", "q", "questions", "问题", "问")
_ANSWER_HEADERS = ("answer", "a", "answers", "答案", "回答", "答")


class UnreadableFileError(Exception):
    """The file cannot be used; the message is a short reason for the skipped-files list."""


@dataclass(frozen=True)
class Chunk:
    section: str
    text: str


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    chunks: list[Chunk]


def is_supported(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return pdf_supported()
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def pdf_supported() -> bool:
    return importlib.util.find_spec("pypdf") is not None


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFileError("binary file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError("not a text file in UTF-8 or GB18030")


def parse_document(path: Path, data: bytes) -> ParsedDocument:
    """Split one file's bytes into chunks; raises UnreadableFileError with a reason."""
    suffix = path.suffix.lower()
    fallback_title = path.stem.replace("_", " ").replace("-", " ").strip() or path.name
    if suffix == ".pdf":
        return _parse_pdf(data, fallback_title)
    text = decode_text(data)
    if suffix == ".csv":
        return ParsedDocument(fallback_title, _csv_chunks(text, fallback_title))
    if suffix in (".html", ".htm"):
        text = html_to_markdown(text)
    if suffix in (".txt", ".text"):
        return ParsedDocument(fallback_title, _split_blocks([fallback_title], text))
    return _parse_markdown(text, fallback_title)


def _parse_markdown(text: str, fallback_title: str) -> ParsedDocument:
    headings: list[tuple[int, str]] = []
    title = ""
    body: list[str] = []
    chunks: list[Chunk] = []
    in_fence = False

    def flush() -> None:
        path = [h for _, h in headings] or [title or fallback_title]
        chunks.extend(_split_blocks(path, "\n".join(body)))
        body.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading is None:
            body.append(line)
            continue
        flush()
        level, name = len(heading.group(1)), heading.group(2).strip()
        if not title and level == 1:
            title = name
        while headings and headings[-1][0] >= level:
            headings.pop()
        headings.append((level, name))
    flush()
    return ParsedDocument(title or fallback_title, chunks)


def _split_blocks(section_path: list[str], text: str) -> list[Chunk]:
    """Group paragraphs into passages of at most MAX_PASSAGE_CHARS, splitting long ones."""
    section = SECTION_SEPARATOR.join(section_path)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces.extend(_split_long(paragraph))
    chunks: list[Chunk] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) + 2 > MAX_PASSAGE_CHARS:
            chunks.append(Chunk(section, current))
            current = piece
        else:
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        chunks.append(Chunk(section, current))
    return chunks


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


def _csv_chunks(text: str, title: str) -> list[Chunk]:
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().casefold() for cell in rows[0]]
    q_col = next((i for i, h in enumerate(header) if h in _QUESTION_HEADERS), None)
    a_col = next((i for i, h in enumerate(header) if h in _ANSWER_HEADERS), None)
    chunks: list[Chunk] = []
    if q_col is not None and a_col is not None:
        for row in rows[1:]:
            question = row[q_col].strip() if q_col < len(row) else ""
            answer = row[a_col].strip() if a_col < len(row) else ""
            if question or answer:
                chunks.append(Chunk(question or title, f"{question}\n{answer}".strip()))
        return chunks
    # Not a Q/A table: one passage per row, each value labelled with its column.
    names = [cell.strip() for cell in rows[0]]
    for row in rows[1:]:
        lines = [f"{names[i] if i < len(names) else i}: {v.strip()}" for i, v in enumerate(row)]
        chunks.extend(_split_blocks([title], "\n".join(lines)))
    return chunks


def _parse_pdf(data: bytes, title: str) -> ParsedDocument:
    if not pdf_supported():
        raise UnreadableFileError("PDF support needs the optional pypdf package")
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for damaged files
        raise UnreadableFileError(f"unreadable PDF ({exc.__class__.__name__})") from exc
    chunks: list[Chunk] = []
    for number, page_text in enumerate(pages, start=1):
        chunks.extend(_split_blocks([title, f"Page {number}"], page_text))
    return ParsedDocument(title, chunks)


class _HtmlToMarkdown(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "div", "li", "ul", "ol", "table", "tr", "section", "article", "br", "dt", "dd"}
    )
    _SKIP = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456") or tag in self._BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """Strip tags, keeping headings as Markdown headings and blocks as paragraphs."""
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).splitlines()]
    return "\n".join(lines)
