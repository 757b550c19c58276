"""The server's request log: one JSON line per request, in the log folder; no text unless asked."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from desktop_chat import paths

log = logging.getLogger(__name__)

FILE_NAME = "server-requests.jsonl"
MAX_BYTES = 5 * 1024 * 1024  # then the file moves to .1 (one old file kept)


def log_path() -> Path:
    return paths.logs_dir() / FILE_NAME


class RequestLog:
    """Appends records from the server thread; a failed write is logged, never raised."""

    def __init__(self, path: Path | None = None, log_bodies: bool = False) -> None:
        self.path = path or log_path()
        self.log_bodies = log_bodies
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any], bodies: dict[str, Any] | None = None) -> None:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **record}
        if self.log_bodies and bodies:
            entry.update(bodies)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.path.exists() and self.path.stat().st_size > MAX_BYTES:
                    self.path.replace(self.path.with_name(self.path.name + ".1"))
                with self.path.open("a", encoding="utf-8") as file:
                    file.write(line)
            except OSError as error:
                log.warning("could not write the server request log: %s", error)


def recent(limit: int = 200, path: Path | None = None) -> list[dict[str, Any]]:
    """The last ``limit`` records, newest last; unreadable lines are skipped."""
    path = path or log_path()
    lines: deque[str] = deque(maxlen=limit)
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for line in file:
                lines.append(line)
    except OSError:
        return []
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records
