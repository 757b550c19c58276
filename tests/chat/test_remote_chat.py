"""The chat controller with a remote model: llama-cpp-python's server (a real child process) and
the fault fake; the local engine has no model at all, so nothing can fall back to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.chat.controller import ChatController
from desktop_chat.engine import endpoints
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteTarget
from desktop_chat.store import Store, open_store
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


@pytest.fixture
def store(app_home) -> Iterator[Store]:
    opened, _notice = open_store()
    yield opened
    opened.close()


@pytest.fixture
def controller(qtbot, store: Store) -> Iterator[ChatController]:
    client = EngineClient()  # never loaded
    settings = settings_mod.with_value(settings_mod.Settings(), "generation.max_tokens", 24)
    chat = ChatController(client, lambda: settings, store)
    yield chat
    chat.shutdown()
    client.shutdown()


def test_a_remote_turn_streams_and_saves_like_a_local_one(
    qtbot, controller: ChatController, store: Store, llama_url: str
) -> None:
    endpoints.add(endpoints.Endpoint("lab", llama_url, endpoints.Preset.LLAMA_SERVER, 2048))
    controller.use_remote(RemoteTarget("lab", remote_servers.ALIAS))
    chunks: list[str] = []
    meter: list[tuple[int, int]] = []
    controller.stream_chunk.connect(chunks.append)
    controller.prompt_info.connect(lambda used, total: meter.append((used, total)))
    with qtbot.waitSignal(controller.turn_finished, timeout=WAIT_MS):
        assert controller.send_text("Say hello.") >= 1_000_000_000
    assert "".join(chunks).strip()
    assert meter and meter[0][1] == 2048  # the context meter shows the remote context
    conversation = store.get_conversation(controller.conversation_id)  # type: ignore[arg-type]
    assert conversation.model == "remote:lab/smollm"
    _question, answer = store.active_thread(conversation.id)
    assert answer.content == "".join(chunks) and answer.complete
    assert answer.model == "remote:lab/smollm"
    assert controller.remote_target(conversation.id) == RemoteTarget("lab", "smollm")
    # A branch: regenerate goes to the same remote model, beside the first answer.
    with qtbot.waitSignal(controller.turn_finished, timeout=WAIT_MS):
        controller.regenerate(answer.id)
    siblings = store.siblings(controller.branch[-1].id)
    assert siblings.count == 2  # type: ignore[union-attr]


def test_stop_keeps_what_arrived(qtbot, controller: ChatController, store: Store, llama_url: str):
    endpoints.add(endpoints.Endpoint("lab", llama_url, endpoints.Preset.LLAMA_SERVER, 2048))
    controller.get_settings = lambda: settings_mod.with_value(  # type: ignore[method-assign]
        settings_mod.Settings(), "generation.max_tokens", 1500
    )
    controller.use_remote(RemoteTarget("lab", remote_servers.ALIAS))
    chunks: list[str] = []
    controller.stream_chunk.connect(chunks.append)
    controller.send_text("Write a long story about a dragon.")
    qtbot.waitUntil(lambda: len("".join(chunks)) > 20, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.turn_finished, timeout=WAIT_MS):
        controller.stop()
    answer = store.active_thread(controller.conversation_id)[-1]  # type: ignore[arg-type]
    assert answer.stop_reason == "stopped" and answer.content.startswith("".join(chunks)[:20])


def test_a_cut_stream_keeps_its_partial_answer_marked_incomplete(
    qtbot, controller: ChatController, store: Store, fake_url: str
) -> None:
    endpoints.add(endpoints.Endpoint("fake", fake_url))
    controller.use_remote(RemoteTarget("fake", "cut"))
    problems: list[str] = []
    controller.problem.connect(lambda text, _action: problems.append(text))
    with qtbot.waitSignal(controller.turn_failed, timeout=WAIT_MS):
        controller.send_text("Hi")
    answer = store.active_thread(controller.conversation_id)[-1]  # type: ignore[arg-type]
    assert answer.content == "Partial answer" and not answer.complete
    assert problems and "cut" in problems[0] and "kept" in problems[0]


def test_local_chats_stay_local(qtbot, controller: ChatController, store: Store) -> None:
    assert controller.remote_target(None) is None
    endpoints.add(endpoints.Endpoint("lab", "http://127.0.0.1:9/v1"))
    with qtbot.waitSignal(controller.model_changed):
        controller.use_remote(RemoteTarget("lab", "m"))
    controller.use_remote(None)
    assert controller.remote_target(None) is None


def test_a_grounded_profile_sends_its_passages_to_the_remote_model(
    qtbot, controller: ChatController, store: Store, fake_url: str
) -> None:
    from desktop_chat.chat.profiles import ProfileStore

    endpoints.add(endpoints.Endpoint("fake", fake_url))
    controller.set_profile(ProfileStore().get("customer-service"))
    controller.use_remote(RemoteTarget("fake", "echo"))
    with qtbot.waitSignal(controller.turn_finished, timeout=WAIT_MS):
        controller.send_text("How long do refunds take?")
    answer = store.active_thread(controller.conversation_id)[-1]  # type: ignore[arg-type]
    assert answer.citations  # the passages used are stored with the answer, as locally
    sent = answer.content
    assert sent.startswith("[system]") and "[user] How long do refunds take?" in sent
    assert "refund" in sent.split("[user]")[0].lower()  # the passages went in the prompt


def test_a_remote_turn_runs_the_same_tool_approval_loop(
    qtbot, controller: ChatController, store: Store, fake_url: str
) -> None:
    """The fake streams a delta.tool_calls for the calculator; it is asked about, run, and its
    result goes back as a role "tool" message the fake answers with."""
    from desktop_chat.tools import config

    config.save(config.ToolsConfig(builtins=["calculator"]))
    endpoints.add(endpoints.Endpoint("fake", fake_url))
    controller.use_remote(RemoteTarget("fake", "tools"))
    asked: list[tuple[str, object]] = []

    def allow(request_id: int, name: str, arguments: object, _server: str) -> None:
        asked.append((name, arguments))
        controller.tools.decide(request_id, "once")

    controller.tools.approval_needed.connect(allow)
    with qtbot.waitSignal(controller.turn_finished, timeout=WAIT_MS):
        controller.send_text("What is 6 times 7?")
    assert asked == [("calculator", {"expression": "6*7"})]
    answer = store.active_thread(controller.conversation_id)[-1]  # type: ignore[arg-type]
    assert answer.content.strip() == "The result is 42."
    assert [(c["name"], c["result"]) for c in answer.tool_calls] == [("calculator", "42")]
    assert answer.complete
