"""llama.cpp's log lines, which arrive in fragments from any thread, joined for our logger."""

from __future__ import annotations

import io
import logging

llama_log = logging.getLogger("llama.cpp")

# ggml_log_level: NONE=0 DEBUG=1 INFO=2 WARN=3 ERROR=4 CONT=5 (llama-cpp-python's map is stale).
_LEVELS = {0: logging.INFO, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
CONTINUE = 5
_pending = bytearray()
_last_level = logging.DEBUG


def on_fragment(level: int, text: bytes | None) -> None:
    """Buffer ``text`` and log each complete line at the level its first fragment had."""
    global _last_level
    if level != CONTINUE:  # a continuation keeps the previous line's level
        _last_level = _LEVELS.get(level, logging.DEBUG)
    _pending.extend(text or b"")
    while b"\n" in _pending:
        line, _, rest = bytes(_pending).partition(b"\n")
        _pending[:] = rest
        if line.strip():
            llama_log.log(_last_level, "%s", line.decode("utf-8", "replace"))


class StderrToLog(io.TextIOBase):
    """A text stream for contextlib.redirect_stderr: Python-side prints of llama-cpp-python."""

    def write(self, text: str) -> int:
        if text.strip():
            llama_log.debug("%s", text.rstrip())
        return len(text)
