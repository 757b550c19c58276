"""The chat controller without a window: a real engine, the real starter model, a real store."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from desktop_chat import settings as settings_mod
from desktop_chat.chat.controller import DROP_OLDEST, ChatController
from desktop_chat.chat.profiles import ProfileStore
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import LoadParams, StopReason
from desktop_chat.store import Store, open_store


class Chat:
    """A controller with what a view would see of it recorded."""

    def __init__(self, client: EngineClient, store: Store) -> None:
        self.settings = settings_mod.with_value(settings_mod.Settings(), "generation.seed", 3)
        self.max_tokens(16)
        self.controller = ChatController(client, lambda: self.settings, store)
        self.chunks: list[str] = []
        self.problems: list[tuple[str, str]] = []
        self.finished: list[int] = []
        c = self.controller
        c.stream_chunk.connect(self.chunks.append)
        c.problem.connect(lambda text, action: self.problems.append((text, action)))
        c.turn_finished.connect(lambda request_id, _stats: self.finished.append(request_id))

    def max_tokens(self, n: int) -> None:
        self.settings = settings_mod.with_value(self.settings, "generation.max_tokens", n)


@pytest.fixture
def client(qtbot, smollm_path) -> Iterator[EngineClient]:
    engine = EngineClient()
    with qtbot.waitSignal(engine.model_loaded, timeout=180_000):
        engine.load(LoadParams(path=smollm_path, n_ctx=2048))
    yield engine
    engine.shutdown()


@pytest.fixture
def store(app_home) -> Iterator[Store]:
    opened, _notice = open_store()
    yield opened
    opened.close()


@pytest.fixture
def chat(client, store) -> Iterator[Chat]:
    recorder = Chat(client, store)
    yield recorder
    recorder.controller.shutdown()


def ask(qtbot, chat: Chat, text: str, **kwargs):
    with qtbot.waitSignal(chat.controller.turn_finished, timeout=180_000) as blocker:
        chat.controller.send_text(text, **kwargs)
    return blocker.args[1]


def test_a_turn_streams_and_is_stored(qtbot, chat, store):
    c = chat.controller
    stats = ask(qtbot, chat, "Say hello.")
    assert stats.completion_tokens > 0 and not c.busy and c.request_id == 0
    [conversation] = store.list_conversations()
    assert conversation.title == "Say hello."
    question, answer = store.active_thread(conversation.id)
    assert (question.role, answer.role) == ("user", "assistant")
    assert answer.complete and answer.content == "".join(chat.chunks)
    assert [m.id for m in c.branch] == [question.id, answer.id]


def test_an_answer_is_saved_while_it_streams_and_stop_marks_it(qtbot, chat, store):
    c = chat.controller
    chat.max_tokens(400)
    c.send_text("Write a very long story.")
    assert c.busy and c.answers.saving

    def saved_so_far() -> str:
        return store.active_thread(c.conversation_id)[-1].content

    # The timer writes the growing answer (seed 3 makes it ~280 tokens); nothing else writes
    # it until the turn ends, and then it is marked complete.
    qtbot.waitUntil(lambda: bool(saved_so_far()), timeout=180_000)
    assert not store.active_thread(c.conversation_id)[-1].complete
    with qtbot.waitSignal(c.turn_finished, timeout=180_000) as blocker:
        c.stop()
    assert blocker.args[1].stop_reason == StopReason.STOPPED
    stopped = store.active_thread(c.conversation_id)[-1]
    assert stopped.stop_reason == "stopped" and stopped.content == "".join(chat.chunks)


def test_regenerate_and_switch_between_branches(qtbot, chat, store):
    c = chat.controller
    ask(qtbot, chat, "Name a fruit.")
    first = c.branch[-1]
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        c.regenerate(first.id)
    second = c.branch[-1]
    assert second.id != first.id and c.siblings(second.id).count == 2
    with qtbot.waitSignal(c.messages_changed):
        c.switch_branch(second.id, -1)
    assert c.branch[-1].id == first.id
    c.switch_branch(first.id, +1)
    assert c.branch[-1].id == second.id


def test_edit_asks_again_beside_the_old_question(qtbot, chat, store):
    c = chat.controller
    ask(qtbot, chat, "Name a fruit.")
    question = c.branch[0]
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        c.edit(question.id, "Name a vegetable.")
    assert c.branch[0].content == "Name a vegetable."
    assert c.siblings(c.branch[0].id).ids[0] == question.id


def test_a_stream_left_behind_keeps_its_own_tokens(qtbot, chat, store):
    c = chat.controller
    chat.max_tokens(300)
    first = c.send_text("Tell me a long story about a fox.")
    first_chat = c.conversation_id
    qtbot.waitUntil(lambda: bool(c.answer_text), timeout=180_000)
    c.new_chat()
    assert c.request_id == 0 and not c.busy
    shown_before = len(chat.chunks)
    chat.max_tokens(16)
    with qtbot.waitSignal(
        c.turn_finished, timeout=180_000, check_params_cb=lambda i, _s: i != first
    ):
        c.send_text("Name a colour.")
    fox = store.active_thread(first_chat)[-1]
    colour = store.active_thread(c.conversation_id)[-1]
    assert fox.stop_reason == "stopped" and fox.content
    assert colour.content == "".join(chat.chunks[shown_before:])


def test_the_ask_policy_refuses_and_drop_oldest_answers(qtbot, chat, store):
    c = chat.controller
    chat.settings = settings_mod.with_value(chat.settings, "app.context_policy", "ask")
    with qtbot.waitSignal(c.turn_failed, timeout=180_000):
        c.send_text("The quick brown fox jumps over the lazy dog. " * 300)
    message, action = chat.problems[-1]
    assert action == DROP_OLDEST and "no longer fits" in message
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        c.drop_oldest_and_retry()
    assert c.branch[-1].role == "assistant" and c.branch[-1].content
    assert store.get_conversation(c.conversation_id).context_policy == "drop_oldest"


def demo_profile():
    return ProfileStore().get("customer-service")


def test_a_grounded_turn_searches_the_knowledge_base_off_the_gui_thread(
    qtbot, chat, store, monkeypatch
):
    from desktop_chat.kb import library

    threads: list[threading.Thread] = []
    real_ensure = library.ensure_demo_kb

    def recording_ensure() -> str:
        threads.append(threading.current_thread())
        return real_ensure()

    monkeypatch.setattr(library, "ensure_demo_kb", recording_ensure)
    c = chat.controller
    c.set_profile(demo_profile())
    chat.max_tokens(32)
    with qtbot.waitSignal(c.grounding_started) as grounding:
        request_id = c.send_text("How long do refunds take?")
    assert grounding.args == ["shop-demo"]
    assert request_id == 0 and c.busy  # the answer starts once the lookup is done
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        pass
    assert threads and threading.main_thread() not in threads
    answer = store.active_thread(c.conversation_id)[-1]
    assert answer.role == "assistant" and answer.citations


def test_stop_during_the_lookup_sends_nothing_and_leaves_no_half_turn(qtbot, chat, store, client):
    c = chat.controller
    c.set_profile(demo_profile())
    started: list[int] = []
    client.started.connect(lambda request_id, _info: started.append(request_id))
    c.send_text("How long do refunds take?")
    assert c.lookups.pending is not None
    c.stop()  # before the lookup can have reported: its result is queued for this thread
    assert not c.busy and c.lookups.pending is None
    qtbot.waitUntil(lambda: not c.lookups.runner.busy(), timeout=60_000)
    QCoreApplication.processEvents()  # the finished lookup's result arrives, and is dropped
    assert started == [] and not client.busy and not c.busy and chat.finished == []
    [question] = store.active_thread(c.conversation_id)  # no placeholder answer
    assert question.role == "user"
    # The chat goes on as usual.
    chat.max_tokens(16)
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        c.send_text("Do you ship abroad?")
    assert store.active_thread(c.conversation_id)[-1].role == "assistant"


def test_a_new_store_is_written_and_saved_to(qtbot, chat, store):
    from desktop_chat.store import open_memory_store

    c = chat.controller
    ask(qtbot, chat, "Before.")
    c.release_store()
    assert not c.answers.saving
    fresh = open_memory_store()
    try:
        with qtbot.waitSignal(c.conversation_changed) as changed:
            c.set_store(fresh)
        assert changed.args == [None] and c.branch == [] and c.answers.saving
        ask(qtbot, chat, "After.")
        [conversation] = fresh.list_conversations()
        assert [m.role for m in fresh.active_thread(conversation.id)] == ["user", "assistant"]
        assert [x.title for x in store.list_conversations()] == ["Before."]
    finally:
        c.shutdown()
        fresh.close()


def test_a_lookup_left_behind_answers_in_its_own_chat(qtbot, chat, store):
    c = chat.controller
    c.set_profile(demo_profile())
    c.send_text("How long do refunds take?")
    grounded_chat = c.conversation_id
    c.new_chat()  # the lookup goes on; its answer streams unseen and is saved
    assert not c.busy
    with qtbot.waitSignal(c.turn_finished, timeout=180_000):
        pass
    answer = store.active_thread(grounded_chat)[-1]
    assert answer.role == "assistant" and answer.complete and answer.citations
    assert chat.chunks == [] and c.branch == []
