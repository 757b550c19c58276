"""Fixtures for the API server: the real engine with the starter model, a server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import GenParams, LoadParams
from desktop_chat.server.config import ServerConfig
from desktop_chat.server.service import ApiServer

LOAD_TIMEOUT_MS = 180_000


@pytest.fixture
def engine(qtbot: Any, smollm_path: Path) -> Iterator[EngineClient]:
    client = EngineClient()
    try:
        with qtbot.waitSignal(client.model_loaded, timeout=LOAD_TIMEOUT_MS):
            client.load(LoadParams(path=smollm_path, n_ctx=2048, n_threads=2, seed=1))
        yield client
    finally:
        client.shutdown()


@pytest.fixture
def serve(engine: EngineClient) -> Iterator[Callable[..., ApiServer]]:
    """``serve(**config)`` starts the API on a free loopback port; stopped after the test."""
    servers: list[ApiServer] = []

    def start(**fields: Any) -> ApiServer:
        fields.setdefault("port", 0)
        server = ApiServer(engine, lambda: GenParams(max_tokens=64, temperature=0.0, seed=1))
        servers.append(server)
        server.start(ServerConfig(**fields))
        return server

    yield start
    for server in servers:
        server.shutdown()


def openai_client(server: ApiServer, key: str = "unused") -> Any:
    import openai

    return openai.OpenAI(base_url=server.base_url, api_key=key, max_retries=0, timeout=120)
