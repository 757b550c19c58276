"""Message trees: threads, sibling branches, switching, deleting, streaming updates."""

from __future__ import annotations

import pytest

from desktop_chat.store import NotFoundError, Store, StoreError


def _contents(store: Store, conversation_id: int) -> list[str]:
    return [m.content for m in store.active_thread(conversation_id)]


def test_edit_and_resend_keeps_earlier_answers(store: Store) -> None:
    chat = store.create_conversation("branches")
    q1 = store.add_message(chat.id, "user", "q1")
    a1 = store.add_message(chat.id, "assistant", "a1")
    q2 = store.add_message(chat.id, "user", "q2")
    store.add_message(chat.id, "assistant", "a2")
    assert _contents(store, chat.id) == ["q1", "a1", "q2", "a2"]

    # Edit q2 and resend: a sibling of q2 with its own answer.
    q2b = store.add_message(chat.id, "user", "q2 edited", parent_id=a1.id)
    store.add_message(chat.id, "assistant", "a2 edited")
    assert _contents(store, chat.id) == ["q1", "a1", "q2 edited", "a2 edited"]
    siblings = store.siblings(q2b.id)
    assert (siblings.ids, siblings.label) == ((q2.id, q2b.id), "2/2")
    assert siblings.previous_id == q2.id and siblings.next_id is None

    # Regenerate the answer to the edited question: a third branch point.
    store.add_message(chat.id, "assistant", "a2 edited, again", parent_id=q2b.id)
    thread = store.active_thread(chat.id)
    assert store.siblings(thread[-1].id).label == "2/2"

    # "<": back to the first version, with its own continuation.
    assert [m.content for m in store.switch_to_sibling(q2.id)] == ["q1", "a1", "q2", "a2"]
    assert _contents(store, chat.id) == ["q1", "a1", "q2", "a2"]
    # ">": the edited one shows its most recent answer.
    assert [m.content for m in store.switch_to_sibling(q2b.id)][-1] == "a2 edited, again"
    assert store.siblings(q1.id).label == "1/1"


def test_edit_first_question_makes_a_new_root(store: Store) -> None:
    chat = store.create_conversation("roots")
    first = store.add_message(chat.id, "user", "first")
    store.add_message(chat.id, "assistant", "answer")
    edited = store.add_message(chat.id, "user", "first, edited", parent_id=None)
    assert _contents(store, chat.id) == ["first, edited"]
    assert store.siblings(first.id).ids == (first.id, edited.id)
    assert store.switch_to_sibling(first.id)[-1].content == "answer"


def test_add_without_activate_keeps_the_thread(store: Store) -> None:
    chat = store.create_conversation("quiet")
    q = store.add_message(chat.id, "user", "q")
    store.add_message(chat.id, "assistant", "shown")
    store.add_message(chat.id, "assistant", "hidden", parent_id=q.id, activate=False)
    assert _contents(store, chat.id) == ["q", "shown"]
    assert [m.content for m in store.children(q.id)] == ["shown", "hidden"]


def test_parent_must_be_in_the_same_conversation(store: Store) -> None:
    one = store.create_conversation("one")
    other = store.create_conversation("other")
    message = store.add_message(one.id, "user", "q")
    with pytest.raises(StoreError, match="another conversation"):
        store.add_message(other.id, "assistant", "a", parent_id=message.id)
    with pytest.raises(NotFoundError):
        store.add_message(other.id, "assistant", "a", parent_id=12345)
    with pytest.raises(StoreError):
        store.add_message(one.id, "robot", "a")  # type: ignore[arg-type]


def test_delete_subtree_falls_back_to_a_sibling(store: Store) -> None:
    chat = store.create_conversation("delete")
    q = store.add_message(chat.id, "user", "q")
    a1 = store.add_message(chat.id, "assistant", "a1")
    store.add_message(chat.id, "user", "follow-up")
    a2 = store.add_message(chat.id, "assistant", "a2", parent_id=q.id)
    store.add_message(chat.id, "user", "follow-up 2")
    store.add_message(chat.id, "assistant", "reply 2")

    thread = store.delete_message(a2.id)
    assert [m.content for m in thread] == ["q", "a1", "follow-up"]
    assert store.siblings(a1.id).count == 1
    with store._locked() as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    assert store.search("reply") == []

    assert [m.content for m in store.delete_message(a1.id)] == ["q"]
    assert store.delete_message(q.id) == []
    assert store.active_thread(chat.id) == []
    assert store.integrity_problems() == []


def test_deleting_another_branch_keeps_the_active_one(store: Store) -> None:
    chat = store.create_conversation("keep")
    q = store.add_message(chat.id, "user", "q")
    a1 = store.add_message(chat.id, "assistant", "a1")
    store.add_message(chat.id, "assistant", "a2", parent_id=q.id)
    assert [m.content for m in store.delete_message(a1.id)] == ["q", "a2"]


def test_streaming_answer_then_completion(store: Store) -> None:
    chat = store.create_conversation("stream", now=10.0)
    store.add_message(chat.id, "user", "Tell me about returns", now=10.0)
    answer = store.add_message(chat.id, "assistant", "", complete=False, model="m.gguf", now=11.0)
    assert not answer.complete and answer.stop_reason is None

    text = ""
    for word in ["Returns ", "are ", "free ", "within ", "30 days."]:
        text += word
        store.update_message(answer.id, content=text)
        # What a crash would leave: everything written so far, marked incomplete.
        saved = store.get_message(answer.id)
        assert saved.content == text and not saved.complete
    assert store.get_conversation(chat.id).updated == 11.0

    citations = [{"source": "faq.md", "chunk": 3, "text": "Returns are free within 30 days."}]
    store.update_message(
        answer.id,
        complete=True,
        stop_reason="done",
        tokens=7,
        ttft_s=0.08,
        tokens_per_s=55.5,
        citations=citations,
        metadata={"sources": ["faq.md"]},
    )
    done = store.get_message(answer.id)
    assert done.complete and done.stop_reason == "done" and done.content == text
    assert (done.tokens, done.ttft_s, done.tokens_per_s) == (7, 0.08, 55.5)
    assert done.citations == citations and done.metadata == {"sources": ["faq.md"]}
    assert store.get_conversation(chat.id).updated > 11.0
    assert [h.message_id for h in store.search("30 days")] == [answer.id]
    assert store.integrity_problems() == []

    with pytest.raises(NotFoundError):
        store.update_message(99999, content="x")
    with pytest.raises(StoreError):
        store.update_message(answer.id, stop_reason="bored")  # type: ignore[arg-type]


def test_streaming_write_is_one_statement(store: Store) -> None:
    chat = store.create_conversation("cheap")
    answer = store.add_message(chat.id, "assistant", "", complete=False)
    statements: list[str] = []
    with store._locked() as conn:
        conn.set_trace_callback(statements.append)
    try:
        store.update_message(answer.id, content="partial text")
    finally:
        with store._locked() as conn:
            conn.set_trace_callback(None)
    # sqlite repeats the statement's text for each trigger step it runs; no BEGIN/COMMIT.
    distinct = {s for s in statements if not s.startswith("--")}
    assert distinct == {f"UPDATE messages SET content = 'partial text' WHERE id = {answer.id}"}


def test_deep_thread(store: Store) -> None:
    chat = store.create_conversation("long")
    first = store.add_message(chat.id, "user", "m0")
    for number in range(1, 1500):
        store.add_message(chat.id, "assistant" if number % 2 else "user", f"m{number}")
    assert len(store.active_thread(chat.id)) == 1500
    assert store.delete_message(first.id) == []
