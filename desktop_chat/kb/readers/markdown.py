"""Markdown and plain text: headings (outside code fences) become the heading path."""

from __future__ import annotations

import re

from desktop_chat.kb.readers.base import Document, Section, split_blocks

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def read_plain(text: str, title: str) -> Document:
    return Document(title, split_blocks([title], text))


def read_markdown(text: str, fallback_title: str) -> Document:
    headings: list[tuple[int, str]] = []
    title = ""
    body: list[str] = []
    sections: list[Section] = []
    in_fence = False

    def flush() -> None:
        path = [h for _, h in headings] or [title or fallback_title]
        sections.extend(split_blocks(path, "\n".join(body)))
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
    return Document(title or fallback_title, sections)
