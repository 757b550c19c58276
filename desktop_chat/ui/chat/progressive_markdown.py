"""Markdown for an answer still streaming: finished blocks rendered once, only the open one again.

Rendering the whole answer on every flush costs time in proportion to its length, so an
answer gets slower to show the longer it grows. Here the text is cut where a top-level block
begins (markdown-it's own block map, so a list or a code fence is never cut inside): what
lies before the last block is rendered once and never again, and each flush renders only the
last, still-open block. Concatenated, the pieces are what ``to_html`` gives for the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.ui.chat.markdown import RICH_TEXT_CHARS, renderer, to_html, too_deep


@dataclass
class Update:
    """What changed since the last flush: HTML for blocks now finished, and the open block."""

    finished: str  # append once, after what was finished before
    open: str  # replaces the previous open block's HTML


class ProgressiveMarkdown:
    """Feed it the answer as it grows; it says what to append and what to replace."""

    def __init__(self, theme: str = "light", limit: int = RICH_TEXT_CHARS) -> None:
        self.theme = theme
        self.limit = limit  # past this the answer streams as plain text (see split_for_rich_text)
        self.stable = 0  # characters of the text whose blocks are finished and rendered
        self.finished_html: list[str] = []
        self.renders = 0  # characters rendered in all, for the linearity test

    @property
    def html(self) -> str:
        """Everything rendered so far, the open block last (what the view shows)."""
        return "".join(self.finished_html) + self._open_html

    _open_html = ""

    def rich(self, text: str) -> bool:
        """Whether ``text`` is still shown as Markdown while it streams."""
        return len(text) <= self.limit and not too_deep(text)

    def update(self, text: str) -> Update:
        """The answer's whole text so far (it only ever grows from what was given before)."""
        tail = text[self.stable :]
        start = self._last_block_start(tail)
        finished = ""
        if start > 0:
            finished = self._render(tail[:start])
            self.finished_html.append(finished)
            self.stable += start
            tail = tail[start:]
        self._open_html = self._render(tail) if tail.strip() else ""
        return Update(finished, self._open_html)

    def _render(self, text: str) -> str:
        self.renders += len(text)
        return to_html(text, self.theme)

    def _last_block_start(self, text: str) -> int:
        """Where the last top-level block of ``text`` begins, as a character offset (0: one)."""
        if "\n" not in text:
            return 0
        try:
            tokens = renderer(self.theme).parse(text)
        except Exception:  # a parser bug must never stop the stream; render it whole
            return 0
        starts = [t.map[0] for t in tokens if t.level == 0 and t.map]
        if len(starts) < 2:
            return 0
        line = starts[-1]
        offset = 0
        for _ in range(line):
            offset = text.index("\n", offset) + 1
        return offset
