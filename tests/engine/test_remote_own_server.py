"""RemoteEngine against our own OpenAI-compatible server (`desktop-chat serve`, a child process
with the starter model): stream with the context size it lists, stop, an unknown model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.engine import endpoints
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, StopReason
from tests.fakes import remote_servers

WAIT_MS = 120_000
MODEL = "SmolLM2-135M-Instruct.Q4_1"


@pytest.fixture(scope="module")
def own_url(smollm_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("serve-home")
    with remote_servers.running(remote_servers.start_own_server(smollm_path, home)) as url:
        yield url


@pytest.fixture
def engine(qtbot) -> Iterator[RemoteEngine]:
    remote = RemoteEngine(settings_mod.Settings)
    yield remote
    remote.shutdown()


def _request(max_tokens: int, text: str = "Say hello.") -> ChatRequest:
    return ChatRequest((ChatMessage("user", text),), gen=GenParams(max_tokens, seed=1))


def test_stream_and_stop_through_our_own_server(qtbot, engine: RemoteEngine, own_url: str):
    endpoints.add(endpoints.Endpoint("own", own_url, endpoints.Preset.CLOUD))
    infos: list[object] = []
    chunks: list[str] = []
    ends: list[tuple[str, object]] = []
    engine.started.connect(lambda _i, info: infos.append(info))
    engine.chunk.connect(lambda _i, text: chunks.append(text))
    engine.finished.connect(lambda _i, stats: ends.append(("finished", stats)))
    engine.cancelled.connect(lambda _i, stats: ends.append(("cancelled", stats)))
    engine.failed.connect(lambda _i, message: ends.append(("failed", message)))

    engine.generate(RemoteTarget("own", MODEL), _request(16))
    qtbot.waitUntil(lambda: bool(ends), timeout=WAIT_MS)
    assert ends[0][0] == "finished" and "".join(chunks).strip()
    assert infos[0].n_ctx == 4096  # type: ignore[attr-defined]  # listed by the server

    ends.clear()
    chunks.clear()
    request_id = engine.generate(RemoteTarget("own", MODEL), _request(1500, "Write a long story."))
    qtbot.waitUntil(lambda: len("".join(chunks)) > 20, timeout=WAIT_MS)
    engine.stop(request_id)
    qtbot.waitUntil(lambda: bool(ends), timeout=WAIT_MS)
    kind, stats = ends[0]
    assert kind == "cancelled" and stats.stop_reason == StopReason.STOPPED  # type: ignore[attr-defined]

    ends.clear()
    engine.generate(RemoteTarget("own", "no-such-model"), _request(4))
    qtbot.waitUntil(lambda: bool(ends), timeout=WAIT_MS)
    kind, message = ends[0]
    assert kind == "failed" and "has no model “no-such-model”" in str(message)
