"""Logging to a rotating file in the log folder; llama.cpp's own lines arrive here too."""

from __future__ import annotations

import logging
import logging.handlers

from desktop_chat import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup(level: int = logging.INFO, console: bool = False) -> None:
    """Idempotent: a second call (tests, self-test inside the app) adds no more handlers."""
    root = logging.getLogger()
    if any(getattr(h, "_desktop_chat", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.log_file(), maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._desktop_chat = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # llama.cpp is chatty at INFO (every tensor, every call); keep its warnings and errors.
    logging.getLogger("llama.cpp").setLevel(logging.WARNING)
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream._desktop_chat = True  # type: ignore[attr-defined]
        root.addHandler(stream)
