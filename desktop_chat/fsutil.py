"""Safe file operations shared by settings, store and downloads: atomic writes, moving aside."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write so that a crash leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def move_aside(path: Path, label: str = "corrupt") -> Path:
    """Rename an unusable file to ``NAME.<label>-<time>`` so the user can still recover it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    return target


def is_disk_full(exc: OSError) -> bool:
    """No space left, or the user's disk quota used up: freeing space is the way forward."""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def os_error_reason(exc: OSError) -> str:
    """A few words for why a file operation failed, fit for a sentence ("the disk is full")."""
    known = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the folder is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
    }
    reason = known.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    return f"{reason}: {exc.filename}" if exc.filename else reason


class JsonTooComplex(ValueError):
    """A JSON text nested deeper or larger than its reader allows; str() says which limit."""


def load_json_bounded(
    text: str | bytes, max_depth: int = 64, max_bytes: int | None = 64 * 1024 * 1024
) -> object:
    """``json.loads`` for files a user (or anyone) can hand the app, refusing before it recurses.

    Python's parser recurses once per nested bracket, so ``[[[[...`` 100,000 deep raises
    RecursionError (not a JSONDecodeError) from every reader. A quick scan (strings taken out
    by a regex, then a running bracket count) finds the depth first. Raises JsonTooComplex
    past a limit, json.JSONDecodeError (also a ValueError) for text that is not JSON.
    ``max_bytes`` counts characters of a str (never more than its UTF-8 bytes).
    """
    import itertools
    import json
    import re

    if max_bytes is not None and len(text) > max_bytes:
        raise JsonTooComplex(f"it is larger than {max_bytes:,} bytes")
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    outside_strings = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)
    brackets = re.sub(r"[^\[\]{}]+", "", outside_strings)
    if len(brackets) > max_depth:  # fewer brackets than that cannot nest deeper
        steps = (1 if c in "[{" else -1 for c in brackets)
        if max(itertools.accumulate(steps)) > max_depth:
            raise JsonTooComplex(f"it is nested more than {max_depth} levels deep")
    return json.loads(text)
