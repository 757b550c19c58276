"""Markdown (GitHub dialect, raw HTML off) to the HTML subset Qt's rich text understands."""

from __future__ import annotations

import html
import logging
from functools import lru_cache

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

log = logging.getLogger(__name__)

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

    # markdown-it binds render rules as renderer methods, hence the leading ``_renderer``.
    def fence(_renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
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
            # A <pre> never wraps, and one long line would widen the whole
            # message past its frame; a monospace pre-wrap block wraps instead.
            f'<tr><td><div style="white-space: pre-wrap; font-family: monospace">{body}</div>'
            "</td></tr></table>"
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
        log.exception("markdown rendering failed")
        return plain_to_html(text)


def plain_to_html(text: str) -> str:
    """Escape text and keep its line breaks, for user messages and text still streaming."""
    # pre-wrap keeps code indentation while text streams in, and still wraps long lines.
    return f'<div style="white-space: pre-wrap">{html.escape(text)}</div>'
