"""A finished answer's quotes and unsupported figures are stored with it and exported."""

from __future__ import annotations

from desktop_chat.chat.quoting import UNSUPPORTED_KEY, quote_answer
from desktop_chat.store import open_memory_store

PASSAGE = {
    "id": "returns.md#3",
    "source": "returns.md",
    "title": "Returns",
    "section": "Returns > Refund processing time",
    "text": "Refunds are processed in 5–7 business days. Store credit is issued at once.",
    "score": 3.0,
}


def test_quotes_and_unsupported_claims_are_stored_and_exported(tmp_path):
    store = open_memory_store()
    conversation = store.create_conversation("refunds")
    question = store.add_message(conversation.id, "user", "How long does a refund take?")
    answer = store.add_message(
        conversation.id,
        "assistant",
        "Refunds take 24 hours [1].",
        parent_id=question.id,
        citations=[PASSAGE],
        metadata={"kept": True},
    )
    assert quote_answer(store, answer.id)
    stored = store.get_message(answer.id)
    assert stored.citations[0]["number"] == 1
    assert stored.citations[0]["quotes"] == [[0, 43]]
    assert stored.metadata["kept"] is True
    assert stored.metadata[UNSUPPORTED_KEY] == [{"text": "24 hours", "start": 13, "end": 21}]
    markdown = store.markdown([conversation.id])
    assert "“Refunds are processed in 5–7 business days.”" in markdown
    assert "24 hours — not found in the sources" in markdown
    archive = store.archive_data([conversation.id])
    [message] = [m for m in archive["conversations"][0]["messages"] if m["role"] == "assistant"]
    assert message["citations"][0]["quotes"] == [[0, 43]]
    [copy] = store.import_data(archive)
    restored = store.active_thread(copy)[-1]
    assert restored.citations == stored.citations and restored.metadata == stored.metadata


def test_answers_without_sources_or_gone_are_left_alone():
    store = open_memory_store()
    conversation = store.create_conversation("plain")
    plain = store.add_message(conversation.id, "assistant", "Hello.")
    assert not quote_answer(store, plain.id)
    assert store.get_message(plain.id).metadata == {}
    assert not quote_answer(store, 9999)
