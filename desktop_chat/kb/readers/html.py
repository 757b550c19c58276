"""HTML: tags stripped, h1–h6 kept as headings, scripts and styles dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from desktop_chat.kb.readers.base import Document
from desktop_chat.kb.readers.markdown import read_markdown


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


def read_html(text: str, fallback_title: str) -> Document:
    return read_markdown(html_to_markdown(text), fallback_title)
