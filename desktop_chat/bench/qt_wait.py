"""Waiting for a condition while the Qt event loop keeps running (self-test, benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def wait_until(condition: Callable[[], object], timeout_s: float = 300.0, step_ms: int = 5) -> bool:
    """Run the event loop until ``condition()`` is true; False when ``timeout_s`` ran out."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTimer.singleShot(step_ms, loop.quit)
        loop.exec()
    return True
