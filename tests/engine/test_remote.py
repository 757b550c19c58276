"""RemoteEngine against real servers: llama-cpp-python's own OpenAI-compatible server with the
starter model, and a fake (a real HTTP server) for faults that server cannot be made to show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.engine import endpoints
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, StopReason
from tests.fakes import remote_servers

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def llama_url(smollm_path: Path) -> Iterator[str]:
    with remote_servers.running(remote_servers.start_llama_server(smollm_path)) as url:
        yield url


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


@dataclass
class Recorder:
    engine: RemoteEngine
    started: list[object] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    ends: list[tuple[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        e = self.engine
        e.started.connect(lambda _i, info: self.started.append(info))
        e.chunk.connect(lambda _i, text: self.chunks.append(text))
        e.finished.connect(lambda _i, stats: self.ends.append(("finished", stats)))
        e.cancelled.connect(lambda _i, stats: self.ends.append(("cancelled", stats)))
        e.failed.connect(lambda _i, message: self.ends.append(("failed", message)))

    @property
    def text(self) -> str:
        return "".join(self.chunks)


@pytest.fixture
def remote(qtbot) -> Iterator[Recorder]:
    engine = RemoteEngine(settings_mod.Settings)
    yield Recorder(engine)
    engine.shutdown()


def add(name: str, url: str, **kwargs: object) -> None:
    endpoints.add(endpoints.Endpoint(name, url, **kwargs))  # type: ignore[arg-type]


def ask(text: str = "Say hello.", max_tokens: int = 24) -> ChatRequest:
    return ChatRequest(
        (ChatMessage("user", text),), system="Be brief.", gen=GenParams(max_tokens, seed=1)
    )


def run(qtbot, recorder: Recorder, endpoint: str, model: str, request: ChatRequest) -> tuple:
    recorder.engine.generate(RemoteTarget(endpoint, model), request)
    qtbot.waitUntil(lambda: bool(recorder.ends), timeout=WAIT_MS)
    assert len(recorder.ends) == 1
    return recorder.ends[0]


def test_streams_from_llama_cpp_server(qtbot, remote: Recorder, llama_url: str) -> None:
    add("llama", llama_url, preset=endpoints.Preset.LLAMA_SERVER, context_size=2048)
    kind, stats = run(qtbot, remote, "llama", remote_servers.ALIAS, ask())
    assert kind == "finished"
    assert remote.text.strip()
    assert stats.completion_tokens > 0 and stats.stop_reason in (StopReason.DONE, StopReason.LENGTH)
    assert stats.ttft_s > 0
    info = remote.started[0]
    assert info.n_ctx == 2048 and info.prompt_tokens > 0  # type: ignore[attr-defined]


def test_context_size_comes_from_the_server_else_the_setting(
    qtbot, remote: Recorder, fake_url: str, llama_url: str
) -> None:
    add("fake", fake_url, preset=endpoints.Preset.VLLM)
    run(qtbot, remote, "fake", "ok", ask())
    assert remote.started[-1].n_ctx == 3072  # type: ignore[attr-defined]  # max_model_len
    remote.ends.clear()
    add("plain", llama_url, preset=endpoints.Preset.LLAMA_SERVER)  # it says nothing
    run(qtbot, remote, "plain", remote_servers.ALIAS, ask(max_tokens=4))
    assert remote.started[-1].n_ctx == settings_mod.Settings().remote.default_context  # type: ignore[attr-defined]


def test_stop_closes_the_stream(qtbot, remote: Recorder, llama_url: str) -> None:
    add("llama", llama_url, preset=endpoints.Preset.LLAMA_SERVER, context_size=2048)
    request_id = remote.engine.generate(
        RemoteTarget("llama", remote_servers.ALIAS), ask("Write a long story.", 1500)
    )
    qtbot.waitUntil(lambda: len(remote.text) > 20, timeout=WAIT_MS)
    remote.engine.stop(request_id)
    qtbot.waitUntil(lambda: bool(remote.ends), timeout=WAIT_MS)
    kind, stats = remote.ends[0]
    assert kind == "cancelled" and stats.stop_reason == StopReason.STOPPED
    assert stats.completion_tokens < 1500
    assert not remote.engine.busy
    # The server is free again for the next turn.
    remote.ends.clear()
    assert run(qtbot, remote, "llama", remote_servers.ALIAS, ask(max_tokens=4))[0] == "finished"


def test_stop_while_the_server_stalls_ends_at_once(qtbot, remote: Recorder, fake_url: str) -> None:
    add("fake", fake_url, timeout_s=600)
    request_id = remote.engine.generate(RemoteTarget("fake", "stall"), ask())
    qtbot.waitUntil(lambda: bool(remote.started), timeout=WAIT_MS)
    remote.engine.stop(request_id)
    qtbot.waitUntil(lambda: bool(remote.ends), timeout=20_000)  # far below the 600 s stall
    assert remote.ends[0][0] == "cancelled"


def test_server_killed_mid_stream_keeps_the_partial_answer(
    qtbot, remote: Recorder, smollm_path: Path
) -> None:
    process, url = remote_servers.start_llama_server(smollm_path)
    try:
        add("dying", url, preset=endpoints.Preset.LLAMA_SERVER, context_size=2048)
        remote.engine.generate(
            RemoteTarget("dying", remote_servers.ALIAS), ask("Write a long story.", 1500)
        )
        qtbot.waitUntil(lambda: len(remote.text) > 20, timeout=WAIT_MS)
        process.kill()
        qtbot.waitUntil(lambda: bool(remote.ends), timeout=WAIT_MS)
    finally:
        remote_servers.stop(process)
    kind, message = remote.ends[0]
    assert kind == "failed"
    assert "cut" in message and "kept" in message
    assert len(remote.text) > 20  # the chunks that arrived were all delivered


def test_a_stall_is_a_timeout_sentence(qtbot, remote: Recorder, fake_url: str) -> None:
    add("fake", fake_url, timeout_s=1)
    kind, message = run(qtbot, remote, "fake", "stall", ask())
    assert kind == "failed"
    assert "sent nothing for 1 s" in message and "timeout" in message


def test_a_cut_stream_from_the_fake_keeps_its_text(qtbot, remote: Recorder, fake_url: str) -> None:
    add("fake", fake_url)
    kind, message = run(qtbot, remote, "fake", "cut", ask())
    assert kind == "failed" and "cut" in message
    assert remote.text == "Partial answer"


@pytest.mark.parametrize(
    ("model", "words"),
    [
        ("auth", "refused the API key"),
        ("status-404", "has no model “status-404”"),
        ("status-429", "Wait 7 s"),
        ("status-500", "internal error (500)"),
    ],
)
def test_http_errors_are_sentences(
    qtbot, remote: Recorder, fake_url: str, model: str, words: str
) -> None:
    add("fake", fake_url)
    kind, message = run(qtbot, remote, "fake", model, ask())
    assert kind == "failed" and words in message
    assert "Traceback" not in message


def test_the_api_key_is_sent(qtbot, remote: Recorder, fake_url: str) -> None:
    add("fake", fake_url, key_storage=endpoints.KeyStorage.SESSION)
    assert endpoints.set_key("fake", "secret", endpoints.KeyStorage.SESSION) == "session"
    kind, stats = run(qtbot, remote, "fake", "auth", ask())
    assert kind == "finished" and remote.text == "Hello there"
    assert stats.completion_tokens == 2 and stats.prompt_tokens == 5  # the server's usage


def test_nothing_listening_is_a_sentence(qtbot, remote: Recorder) -> None:
    add("gone", f"http://127.0.0.1:{remote_servers.free_port()}/v1")
    kind, message = run(qtbot, remote, "gone", "m", ask())
    assert kind == "failed" and "Nothing answers at" in message


def test_tls_to_a_plain_server_is_a_sentence(qtbot, remote: Recorder, fake_url: str) -> None:
    add("tls", fake_url.replace("http://", "https://"))
    kind, message = run(qtbot, remote, "tls", "ok", ask())
    assert kind == "failed" and "secure connection" in message


def test_a_missing_endpoint_is_a_sentence(qtbot, remote: Recorder) -> None:
    kind, message = run(qtbot, remote, "nowhere", "m", ask())
    assert kind == "failed" and "no endpoint named “nowhere”" in message


def test_the_known_context_needs_no_network(qtbot, remote: Recorder, fake_url: str) -> None:
    from desktop_chat.engine import remote_http
    from desktop_chat.engine.remote import known_context

    remote_http._context_cache.clear()  # what a new session knows
    add("fake", fake_url, preset=endpoints.Preset.VLLM)
    target = RemoteTarget("fake", "ok")
    assert known_context(target, 4096) == 4096  # nothing known yet
    run(qtbot, remote, "fake", "ok", ask())
    assert known_context(target, 4096) == 3072  # what the server said
    add("set", fake_url, context_size=1024)
    assert known_context(RemoteTarget("set", "ok"), 4096) == 1024
    assert known_context(RemoteTarget("nowhere", "m"), 4096) == 4096
