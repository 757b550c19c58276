"""DOCX through python-docx: heading styles give the heading path; zip bombs refused first."""

from __future__ import annotations

import io
import logging
import threading
import zipfile

from desktop_chat.kb.readers.base import (
    Document,
    DocumentError,
    Section,
    check_cancel,
    split_blocks,
)

log = logging.getLogger(__name__)
# Declared sizes bound what zipfile will inflate, so checking them before python-docx opens
# the package is enough to refuse a bomb without inflating it.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 5000


def read_docx(
    data: bytes, name: str, title: str, cancel: threading.Event | None = None
) -> Document:
    _check_package(data, name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        core_title = (document.core_properties.title or "").strip()
        blocks = list(document.iter_inner_content())
    except Exception as exc:
        log.info("DOCX %s unreadable: %r", name, exc)
        raise DocumentError(
            f"{name} is damaged or not a Word document ({exc.__class__.__name__}); open it "
            "in a word processor, save it again as .docx and add that.",
            "damaged Word document",
        ) from exc
    doc_title = core_title[:200] or title
    headings: list[tuple[int, str]] = []
    body: list[str] = []
    sections: list[Section] = []

    def flush() -> None:
        path = [h for _, h in headings] or [doc_title]
        sections.extend(split_blocks(path, "\n\n".join(body)))
        body.clear()

    for number, block in enumerate(blocks):
        if number % 200 == 0:
            check_cancel(cancel)
        if isinstance(block, Table):
            body.append(_table_text(block))
            continue
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        level = _heading_level(block)
        if level is None or not text:
            if text:
                body.append(text)
            continue
        flush()
        while headings and headings[-1][0] >= level:
            headings.pop()
        headings.append((level, text[:200]))
    flush()
    return Document(doc_title, sections)


def _check_package(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(
            f"{name} is not a Word document (.docx files are zip packages and this is not one); "
            "save it again as .docx from a word processor.",
            "not a Word document",
        ) from exc
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    biggest = max((m.file_size for m in members), default=0)
    if (
        len(members) > MAX_MEMBERS
        or total > MAX_UNCOMPRESSED_BYTES
        or biggest > MAX_MEMBER_BYTES
        or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO)
    ):
        log.info("DOCX %s refused: %d members, %d bytes unpacked", name, len(members), total)
        raise DocumentError(
            f"{name} would unpack to {total / 1024 / 1024:,.0f} MB, far more than a Word "
            "document holds, so it was not opened (it may be a zip bomb); if it is genuine, "
            "save it as PDF or text and add that.",
            "would unpack too big (zip bomb?)",
        )


def _heading_level(paragraph: object) -> int | None:
    try:
        style = paragraph.style.name or ""  # type: ignore[attr-defined]
    except Exception:
        return None
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        digits = style.removeprefix("Heading ").strip()
        if digits.isdigit():
            return min(int(digits) + 1, 9)
    return None


def _table_text(table: object) -> str:
    rows = []
    try:
        for row in table.rows:  # type: ignore[attr-defined]
            cells = [cell.text.strip() for cell in row.cells]
            rows.append(" | ".join(c for c in cells if c))
    except Exception:
        return ""
    return "\n".join(r for r in rows if r)
