"""Engine fixtures: a real EngineClient on its own thread, loaded with a real starter model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import LoadParams


def load(qtbot, client: EngineClient, path: Path, **kwargs) -> None:
    with qtbot.waitSignal(client.model_loaded, timeout=180_000):
        client.load(LoadParams(path=path, n_ctx=kwargs.pop("n_ctx", 2048), **kwargs))


@pytest.fixture
def client(qtbot) -> Iterator[EngineClient]:
    engine = EngineClient()
    yield engine
    engine.shutdown()


@pytest.fixture
def smollm_client(qtbot, client: EngineClient, smollm_path: Path) -> EngineClient:
    load(qtbot, client, smollm_path)
    return client
