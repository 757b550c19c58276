"""Baselines run on the engine's own thread (one OpenMP team), and their errors come back."""

from __future__ import annotations

import threading

import pytest

from desktop_chat.bench.qt_wait import on_engine_thread
from desktop_chat.engine.client import EngineClient


def test_work_runs_on_the_engine_thread_and_its_result_comes_back(qtbot) -> None:
    client = EngineClient()
    try:
        here = threading.get_ident()
        there = on_engine_thread(client, threading.get_ident)
        assert there != here
        assert on_engine_thread(client, threading.get_ident) == there  # the same thread
        with pytest.raises(ValueError, match="baseline failed"):
            on_engine_thread(client, lambda: (_ for _ in ()).throw(ValueError("baseline failed")))
    finally:
        client.shutdown()
