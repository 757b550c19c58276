"""Model-switch memory: RSS growth over 20 switches between the two starter models."""

from __future__ import annotations

import threading
from pathlib import Path

import psutil
from PySide6.QtCore import QCoreApplication

from desktop_chat.bench.qt_wait import wait_until
from desktop_chat.bench.report import Figure
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import LoadParams


def _load(client: EngineClient, path: Path) -> None:
    done = threading.Event()

    def finished(*_args: object) -> None:
        done.set()

    client.model_loaded.connect(finished)
    client.model_load_failed.connect(finished)
    client.load(LoadParams(path=path, n_ctx=2048))
    wait_until(done.is_set, 120)
    client.model_loaded.disconnect(finished)
    client.model_load_failed.disconnect(finished)


def run(first: Path, second: Path, switches: int = 20) -> list[Figure]:
    QCoreApplication.instance() or QCoreApplication([])
    process = psutil.Process()
    client = EngineClient()
    try:
        _load(client, first)
        _load(client, second)  # both files mapped once: the baseline includes them
        baseline = process.memory_info().rss
        for index in range(switches):
            _load(client, first if index % 2 == 0 else second)
        grown = process.memory_info().rss - baseline
    finally:
        client.shutdown()
    return [
        Figure(
            f"RSS growth over {switches} model switches",
            grown / 1e6,
            "MB",
            "<= 50",
            f"{first.name} <-> {second.name}",
        )
    ]
