"""Markdown (GitHub dialect, raw HTML off) to the HTML subset Qt's rich text understands."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound
from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)

CODE_STYLES = {"light": "friendly", "dark": "monokai"}
# Headings in a message stay near the text's size: a message is not a document.
HEADING_SIZES = {"h1": "x-large", "h2": "large", "h3": "medium"}
CODE_BACKGROUND = {"light": "#f4f4f6", "dark": "#1e1f24"}
CODE_LABEL = {"light": "#5f6672", "dark": "#9ca3af"}  # 4.5:1 or more on the code background
# A code block's Copy link is copy:<key>, the key a hash of the code (see code_key).
COPY_SCHEME = "copy"

# What one message renders as rich text; the rest waits behind "Show all" as plain text.
# Sized so that parsing, highlighting and Qt's layout of the worst case (a 200-row table,
# one 12,000-character line, a block of code) stay well under 50 ms on a slow machine.
RICH_TEXT_CHARS = 8_000
RICH_TEXT_LINES = 120
# Pygments costs ~3 ms a kilobyte; guessing a language runs every lexer over the sample.
HIGHLIGHT_CHARS = 4_000
GUESS_CHARS = 1_000
# An image is shown inline only from a data: URI this long or shorter; every other image
# source (a path, /dev/zero, a FIFO, http) becomes a link the user can choose to follow.
DATA_IMAGE_CHARS = 256 * 1024
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*\Z", re.IGNORECASE)
# A grounded answer cites its passages as [1], [2]: each marker becomes a cite: link.
CITE_SCHEME = "cite"
_CITE_MARK = re.compile(r"\[(\d{1,3})\]")


# markdown-it stops at 20 levels of nested blocks and silently drops what lies deeper, so a
# message nested past this depth is shown as plain text instead: nothing of it is lost.
MAX_BLOCK_DEPTH = 12
_CONTAINER = re.compile(r"[ \t]*(?:>|[-+*](?:[ \t]|\Z)|\d{1,9}[.)](?:[ \t]|\Z))")


def too_deep(text: str) -> bool:
    """Whether some line nests quotes or lists about as deep as markdown-it would cut off."""
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        if len(line) - len(stripped) >= 2 * MAX_BLOCK_DEPTH and _CONTAINER.match(stripped):
            return True  # a list nested by indentation
        depth, position = 0, 0
        while depth < MAX_BLOCK_DEPTH and (match := _CONTAINER.match(line, position)):
            depth, position = depth + 1, match.end()
        if depth >= MAX_BLOCK_DEPTH:
            return True
    return False


def is_inline_image(src: str) -> bool:
    """Whether an image source may be shown inline: a small base64 data: URI, nothing else."""
    return len(src) <= DATA_IMAGE_CHARS and _DATA_IMAGE.match(src) is not None


def split_for_rich_text(
    text: str, max_chars: int = RICH_TEXT_CHARS, max_lines: int = RICH_TEXT_LINES
) -> tuple[str, str]:
    """``(head, tail)``: the head is rendered as rich text, the tail only on demand.

    The cut falls after at most ``max_lines`` lines and ``max_chars`` characters, at a line
    end when one is near, so a huge table keeps whole rows in the head.
    """
    cut = min(len(text), max_chars)
    newline = -1
    for _ in range(max_lines):
        newline = text.find("\n", newline + 1, cut)
        if newline < 0:
            break
    else:
        cut = newline + 1
    if cut < len(text):
        line_end = text.rfind("\n", 0, cut)
        if line_end >= cut // 2:
            cut = line_end + 1
    return text[:cut], text[cut:]


@lru_cache(maxsize=4)
def _formatter(theme: str) -> HtmlFormatter:
    # Inline styles: Qt's rich text has no stylesheet classes to hang Pygments' CSS on.
    return HtmlFormatter(noclasses=True, nowrap=True, style=CODE_STYLES.get(theme, "friendly"))


def _highlight(code: str, language: str, theme: str) -> str:
    head, rest = code[:HIGHLIGHT_CHARS], code[HIGHLIGHT_CHARS:]
    try:
        lexer = get_lexer_by_name(language) if language else guess_lexer(head[:GUESS_CHARS])
    except ClassNotFound:
        return html.escape(code)
    if not language and lexer.name == "Text only":
        return html.escape(code)
    return highlight(head, lexer, _formatter(theme)) + html.escape(rest)


def _image_link_text(alt: str) -> str:
    label = alt or QCoreApplication.translate("markdown", "image")
    return QCoreApplication.translate("markdown", "[Image: {name}]").format(name=label)


def _md(theme: str) -> MarkdownIt:
    # maxNesting (20 in this preset) bounds the parser's recursion; see MAX_BLOCK_DEPTH.
    md = MarkdownIt("gfm-like", {"html": False, "linkify": False, "typographer": False})
    background = CODE_BACKGROUND.get(theme, CODE_BACKGROUND["light"])
    muted = CODE_LABEL.get(theme, CODE_LABEL["light"])

    # markdown-it binds render rules as renderer methods, hence the leading ``_renderer``.
    def fence(_renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        token = tokens[idx]
        language = token.info.strip().split(" ")[0] if token.info else ""
        code = token.content.rstrip("\n")
        if not code.strip():
            # A fence with nothing inside (small models end answers with a stray ```) would
            # be an empty grey box with a Copy link that copies nothing.
            return ""
        body = _highlight(code, language, theme)
        copy = html.escape(QCoreApplication.translate("markdown", "Copy"))
        small = f'style="color:{muted}; font-size:small"'
        # Two tables on one background: the label and Copy row stays as wide as the message,
        # while the code's own table grows with its longest line (lines never wrap: code
        # keeps its shape) and the message body scrolls sideways to show it.
        table = f'cellspacing="0" cellpadding="8" style="background:{background}; margin:0"'
        return (
            f'<table width="100%" {table}>'
            f"<tr><td {small}>{html.escape(language)}</td>"
            f'<td align="right" style="font-size:small">'
            f'<a href="{COPY_SCHEME}:{code_key(code)}">{copy}</a></td></tr></table>'
            f'<table width="100%" {table}><tr><td>'
            f'<div style="white-space: pre; font-family: monospace">{body}</div>'
            f"</td></tr></table>"
        )

    def image(renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        # Model output is untrusted: an <img> would make Qt read whatever path it names.
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = renderer.renderInlineAsText(token.children or [], options, env)
        if is_inline_image(src):
            return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" />'
        return f'<a href="{html.escape(src)}">{html.escape(_image_link_text(alt))}</a>'

    def text(_renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        escaped = html.escape(tokens[idx].content, quote=False)
        if "[" not in escaped or _inside_link(tokens, idx):
            return escaped
        return _CITE_MARK.sub(_cite_link, escaped)

    def heading_open(_renderer, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        # Qt's own h1 is xx-large: a model's "Title\n===" filled a chat card at 800x600.
        tag = tokens[idx].tag
        size = HEADING_SIZES.get(tag, "medium")
        return f'<{tag} style="font-size:{size}">'

    md.add_render_rule("text", text)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", fence)
    md.add_render_rule("image", image)
    return md


def code_key(code: str) -> str:
    """Names a code block by its content, so the key is the same however it was rendered."""
    return hashlib.sha1(code.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def code_blocks(text: str) -> dict[str, str]:
    """The code blocks of a Markdown text, by code_key (what a Copy link asks for)."""
    try:
        tokens = _renderer("light").parse(text)
    except Exception:  # a parser bug: nothing to copy rather than a crash
        log.exception("markdown parsing failed")
        return {}
    blocks = {}
    for token in tokens:
        if token.type in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            blocks[code_key(code)] = code
    return blocks


def _cite_link(match: re.Match[str]) -> str:
    return f'<a href="{CITE_SCHEME}:{int(match.group(1))}">[{match.group(1)}]</a>'


def _inside_link(tokens: list, idx: int) -> bool:  # type: ignore[type-arg]
    # A nested <a> would break the outer link: a marker inside link text stays text.
    for token in reversed(tokens[:idx]):
        if token.type == "link_close":
            return False
        if token.type == "link_open":
            return True
    return False


@lru_cache(maxsize=4)
def _renderer(theme: str) -> MarkdownIt:
    return _md(theme)


def renderer(theme: str = "light") -> MarkdownIt:
    """The shared parser and renderer for ``theme`` (for tools that need the block map)."""
    return _renderer(theme)


def to_html(text: str, theme: str = "light") -> str:
    """Render a finished answer. Raw HTML in the text is shown as text, never interpreted."""
    if too_deep(text):
        return plain_to_html(text)
    try:
        rendered = _renderer(theme).render(text)
        # Only empty code fences (dropped above) can render to nothing: show what was typed.
        return rendered if rendered.strip() or not text.strip() else plain_to_html(text)
    except Exception:  # a renderer bug must never lose the answer
        log.exception("markdown rendering failed")
        return plain_to_html(text)


def plain_to_html(text: str) -> str:
    """Escape text and keep its line breaks, for user messages and text still streaming."""
    # pre-wrap keeps code indentation while text streams in, and still wraps long lines.
    return f'<div style="white-space: pre-wrap">{html.escape(text)}</div>'
