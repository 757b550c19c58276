"""Logging to a rotating file in the log folder; llama.cpp's own lines arrive here too."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
import threading
from pathlib import Path

from desktop_chat import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"


def _unwritable_sentence(where: Path | str, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return (
        f"desktop-chat: cannot write the log to {where} ({reason}); warnings go to this "
        "terminal instead. Free some disk space or check the folder's permissions."
    )


class _FallbackHandler(logging.Handler):
    """Warnings and errors to stderr once the log file cannot be written; said once, in a line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter(_CONSOLE_FORMAT))
        self._announced = False
        self._guard = threading.Lock()

    def announce(self, sentence: str) -> None:
        with self._guard:
            if self._announced:
                return
            self._announced = True
        self._write(sentence)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= self.level:
            # A log line must never take the app down.
            with contextlib.suppress(Exception):
                self._write(self.format(record))

    @staticmethod
    def _write(line: str) -> None:
        stream = sys.stderr
        if stream is None:  # a windowed app on some platforms has no stderr at all
            return
        with contextlib.suppress(OSError, ValueError):  # a closed or broken stderr
            stream.write(line + "\n")
            stream.flush()


class _FileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that degrades to the fallback instead of printing '--- Logging error ---'.

    It keeps trying the file, so logging to it resumes once space is freed.
    """

    def __init__(self, path: Path, fallback: _FallbackHandler) -> None:
        # delay: a file that cannot be created fails in emit(), where it is handled.
        super().__init__(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True)
        self._fallback = fallback
        self.echo_warnings = True  # off when a console handler already shows them

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self._drop_stream()
        self._fallback.announce(_unwritable_sentence(self.baseFilename, error))
        if self.echo_warnings:
            self._fallback.handle(record)

    def _drop_stream(self) -> None:
        # A stream whose buffer could not be flushed would fail again on every record.
        stream, self.stream = self.stream, None  # type: ignore[assignment]
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()


def setup(level: int = logging.INFO, console: bool = False) -> None:
    """Idempotent: a second call (tests, self-test inside the app) adds no more handlers."""
    root = logging.getLogger()
    if any(getattr(h, "_desktop_chat", False) for h in root.handlers):
        return
    fallback = _FallbackHandler()
    handler: logging.Handler
    try:
        handler = _FileHandler(paths.log_file(), fallback)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.echo_warnings = not console
    except OSError as exc:  # the log folder cannot be created (read-only or full disk)
        fallback.announce(_unwritable_sentence(exc.filename or "folder", exc))
        handler = fallback
    setattr(handler, "_desktop_chat", True)  # noqa: B010 - marks our own handlers for setup()
    root.addHandler(handler)
    root.setLevel(level)
    # llama.cpp is chatty at INFO (every tensor, every call); keep its warnings and errors.
    logging.getLogger("llama.cpp").setLevel(logging.WARNING)
    if console and handler is not fallback:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter(_CONSOLE_FORMAT))
        stream._desktop_chat = True  # type: ignore[attr-defined]
        root.addHandler(stream)
