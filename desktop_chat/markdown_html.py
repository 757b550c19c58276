"""Markdown (GitHub dialect, raw HTML off) to the HTML subset Qt's rich text understands."""

from __future__ import annotations

import html
from functools import lru_cache

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

CODE_STYLES = {"light": "friendly", "dark": "monokai"}
CODE_BACKGROUND = {"light": "#f4f4f6", "dark": "#1e1f24"}


@lru_cache(maxsize=4)
def _formatter(theme: str) -> HtmlFormatter:
    # Inline styles: Qt's rich text has no stylesheet classes to hang Pygments' CSS on.
    return HtmlFormatter(noclasses=True, nowrap=True, style=CODE_STYLES.get(theme, "friendly"))


def _highlight(code: str, language: str, theme: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else guess_lexer(code)
    except ClassNotFound:
        return html.escape(code)
    if not language and lexer.name == "Text only":
        return html.escape(code)
    return highlight(code, lexer, _formatter(theme))


def _md(theme: str) -> MarkdownIt:
    md = MarkdownIt("gfm-like", {"html": False, "linkify": False, "typographer": False})
    background = CODE_BACKGROUND.get(theme, CODE_BACKGROUND["light"])

    def fence(tokens, idx, options, env):  # type: ignore[no-untyped-def]
        token = tokens[idx]
        language = token.info.strip().split(" ")[0] if token.info else ""
        body = _highlight(token.content.rstrip("\n"), language, theme)
        label = (
            f'<div style="color:#888; font-size:small">{html.escape(language)}</div>'
            if language
            else ""
        )
        return (
            f'{label}<table width="100%" cellpadding="8" style="background:{background}">'
            f'<tr><td><pre style="margin:0">{body}</pre></td></tr></table>'
        )

    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", fence)
    return md


@lru_cache(maxsize=4)
def _renderer(theme: str) -> MarkdownIt:
    return _md(theme)


def to_html(text: str, theme: str = "light") -> str:
    """Render a finished answer. Raw HTML in the text is shown as text, never interpreted."""
    try:
        return _renderer(theme).render(text)
    except Exception:  # a renderer bug must never lose the answer
        return plain_to_html(text)


def plain_to_html(text: str) -> str:
    """Escape text and keep its line breaks, for user messages and text still streaming."""
    return html.escape(text).replace("\n", "<br>")
