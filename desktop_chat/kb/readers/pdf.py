"""PDF through pypdf: text page by page (page numbers kept), bookmarks as the heading path."""

from __future__ import annotations

import io
import logging
import threading
from typing import Any

from desktop_chat.kb.readers.base import (
    Document,
    DocumentError,
    ReadProgress,
    Section,
    check_cancel,
    split_blocks,
)

log = logging.getLogger(__name__)


def read_pdf(
    data: bytes,
    name: str,
    title: str,
    cancel: threading.Event | None = None,
    progress: ReadProgress | None = None,
) -> Document:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted(name)
        pages = reader.pages
        total = len(pages)
    except DocumentError:
        raise
    except pypdf.errors.FileNotDecryptedError as exc:
        raise _encrypted(name) from exc
    except pypdf.errors.DependencyError as exc:  # AES without the cryptography package
        log.info("PDF %s: %s", name, exc)
        raise _encrypted(name) from exc
    except Exception as exc:  # pypdf raises many types for damaged files
        log.info("PDF %s unreadable: %r", name, exc)
        raise DocumentError(
            f"{name} is damaged or not a PDF ({exc.__class__.__name__}); open it in a PDF "
            "viewer and save or print it to a new PDF, then add that.",
            "damaged PDF",
        ) from exc
    doc_title = _metadata_title(reader) or title
    outline = _outline_by_page(reader)
    sections: list[Section] = []
    path: list[str] = [doc_title]
    for number in range(1, total + 1):
        check_cancel(cancel)
        try:
            text = pages[number - 1].extract_text() or ""
        except Exception as exc:  # one bad page must not lose the rest
            log.info("PDF %s page %d unreadable: %r", name, number, exc)
            text = ""
        if number in outline:
            path = [doc_title, *outline[number]]
        sections.extend(split_blocks(path, text, page=number))
        if progress is not None:
            progress(number, total)
    if total and not sections:
        raise DocumentError(
            f"{name} has no text layer (it is probably scanned images); run it through OCR "
            "(text recognition) in a PDF tool and add the result.",
            "no text layer, probably scanned",
        )
    return Document(doc_title, sections)


def _encrypted(name: str) -> DocumentError:
    return DocumentError(
        f"{name} is protected with a password; open it, save a copy without the password "
        "and add that.",
        "password protected",
    )


def _metadata_title(reader: Any) -> str:
    try:
        meta = reader.metadata
        value = meta.title if meta is not None else None
    except Exception:
        return ""
    return str(value).strip()[:200] if value else ""


def _outline_by_page(reader: Any) -> dict[int, list[str]]:
    """First page (1-based) -> the bookmark path that starts there; empty without bookmarks."""
    found: dict[int, list[str]] = {}

    def walk(items: list[Any], trail: list[str], depth: int) -> None:
        last: list[str] = trail
        for item in items:
            if isinstance(item, list):
                if depth < 6:
                    walk(item, last, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item) + 1
                name = str(item.title).strip()
            except Exception:
                continue
            last = [*trail, name]
            found.setdefault(page, last)

    try:
        walk(list(reader.outline), [], 0)
    except Exception as exc:
        log.info("PDF outline unreadable: %r", exc)
    return found
