"""Waiting for a condition while the Qt event loop keeps running (self-test, benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QTimer

T = TypeVar("T")


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


def on_engine_thread(client: Any, work: Callable[[], T]) -> T:
    """Run ``work`` on the engine worker's own thread, wait for it, and return its result.

    llama.cpp's OpenMP threads form one team per calling thread. A baseline run on the GUI
    thread beside the engine's made a second team, and from then on both ran at ~60 % (149
    tok/s in the worker alone, 90 once the GUI thread had also generated), which is what
    the bench then compared. On the worker's thread the baseline shares its one team, as
    the app itself does (only the worker ever calls llama.cpp).
    """
    done: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            done.append((True, work()))
        except BaseException as exc:  # handed back to the caller's thread
            done.append((False, exc))

    QTimer.singleShot(0, client.engine_thread_object(), run)
    wait_until(lambda: bool(done), timeout_s=600.0)
    if not done:
        raise TimeoutError("the engine thread did not run the baseline in 600 s")
    ok, value = done[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]
