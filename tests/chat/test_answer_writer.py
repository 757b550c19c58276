"""Answers written while they stream: placeholder, saves as they grow, completion, failure."""

from __future__ import annotations

from desktop_chat.chat.answer_writer import AnswerWriter
from desktop_chat.engine.types import GenerationStats, StopReason
from desktop_chat.store import open_memory_store


def setup():
    store = open_memory_store()
    conversation = store.create_conversation("c")
    question = store.add_message(conversation.id, "user", "Q?")
    return store, conversation, question


def test_an_answer_is_saved_as_it_grows_and_completed() -> None:
    store, conversation, question = setup()
    writer = AnswerWriter(store, interval_s=0.5)
    answer = writer.start(conversation.id, question.id, model="m", citations=[{"id": "a"}])
    answer.add("Hello")
    writer.save_due(answer, now=10.0)
    assert store.active_thread(conversation.id)[-1].content == "Hello"
    answer.add(" world")
    writer.save_due(answer, now=10.1)  # too soon: a crash may lose this much, no more
    assert store.active_thread(conversation.id)[-1].content == "Hello"
    writer.save_due(answer, now=10.6)
    saved = store.active_thread(conversation.id)[-1]
    assert saved.content == "Hello world" and not saved.complete
    writer.finish(answer, GenerationStats(completion_tokens=2, stop_reason=StopReason.DONE))
    done = store.active_thread(conversation.id)[-1]
    assert done.complete and done.stop_reason == "done" and done.citations == [{"id": "a"}]


def test_nothing_generated_leaves_no_empty_answer() -> None:
    store, conversation, question = setup()
    writer = AnswerWriter(store)
    writer.fail(writer.start(conversation.id, question.id, model=None, citations=[]))
    assert [m.role for m in store.active_thread(conversation.id)] == ["user"]


def test_a_failure_keeps_the_text_marked_interrupted() -> None:
    store, conversation, question = setup()
    writer = AnswerWriter(store)
    answer = writer.start(conversation.id, question.id, model=None, citations=[])
    answer.add("partial")
    writer.fail(answer)
    kept = store.active_thread(conversation.id)[-1]
    assert kept.content == "partial" and not kept.complete and kept.stop_reason == "error"


def test_continuing_extends_the_same_message() -> None:
    store, conversation, question = setup()
    writer = AnswerWriter(store)
    first = writer.start(conversation.id, question.id, model=None, citations=[])
    first.add("Once upon")
    writer.finish(first, GenerationStats(stop_reason=StopReason.LENGTH))
    message = store.active_thread(conversation.id)[-1]
    more = writer.resume(message)
    assert not store.active_thread(conversation.id)[-1].complete
    more.add(" a time")
    writer.finish(more, GenerationStats(stop_reason=StopReason.DONE))
    final = store.active_thread(conversation.id)[-1]
    assert final.id == message.id and final.content == "Once upon a time" and final.complete


def test_save_now_writes_at_once_and_the_timed_saves_go_on() -> None:
    """Before an error dialog: the text so far on disk, still incomplete, and streaming goes on."""
    store, conversation, question = setup()
    writer = AnswerWriter(store, interval_s=3600.0)
    answer = writer.start(conversation.id, question.id, model=None, citations=[])
    answer.add("Partial")
    writer.save_now(answer)
    saved = store.active_thread(conversation.id)[-1]
    assert saved.content == "Partial" and not saved.complete
    answer.add(" and more")
    writer.save_now(answer)
    writer.finish(answer, GenerationStats(completion_tokens=3, stop_reason=StopReason.DONE))
    done = store.active_thread(conversation.id)[-1]
    assert done.content == "Partial and more" and done.complete
