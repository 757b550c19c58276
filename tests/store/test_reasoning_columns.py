"""Schema v4: a message's reasoning and tool calls are stored apart, exported and imported."""

from __future__ import annotations

import sqlite3

from desktop_chat.store import open_store
from desktop_chat.store.schema import SCHEMA_VERSION, migrate, user_version

CALLS = [
    {
        "name": "add",
        "arguments": {"a": 2, "b": 3},
        "result": "5",
        "error": "",
        "seconds": 0.01,
        "status": "done",
    }
]


def test_reasoning_and_tool_calls_round_trip(store):
    chat = store.create_conversation("t")
    store.add_message(chat.id, "user", "2+3?")
    answer = store.add_message(chat.id, "assistant", "", complete=False, reasoning="Let me")
    assert store.get_message(answer.id).reasoning == "Let me"
    assert store.get_message(answer.id).tool_calls == []
    store.update_message(answer.id, reasoning="Let me add.", tool_calls=CALLS, content="5")
    stored = store.get_message(answer.id)
    assert (stored.reasoning, stored.tool_calls, stored.content) == ("Let me add.", CALLS, "5")
    # Search looks at the answer only, not at what the model thought.
    assert [h.message_id for h in store.search("Let me add")] == []


def test_export_and_import_keep_reasoning_and_tool_calls(store, tmp_path):
    chat = store.create_conversation("t")
    store.add_message(chat.id, "user", "2+3?")
    store.add_message(chat.id, "assistant", "5", reasoning="Two plus three.", tool_calls=CALLS)
    path = tmp_path / "archive.json"
    store.export_json(path, [chat.id])
    [copy] = store.import_archive(path)
    answer = store.active_thread(copy)[-1]
    assert (answer.reasoning, answer.tool_calls) == ("Two plus three.", CALLS)
    text = store.markdown([chat.id])
    assert "<details><summary>Reasoning</summary>" in text and "Two plus three." in text
    assert "> Tool add(" in text


def test_an_old_archive_without_the_fields_imports_with_empty_ones(store):
    data = store.archive_data([])
    data["conversations"] = [
        {
            "title": "old",
            "created": 1.0,
            "updated": 1.0,
            "messages": [{"id": 1, "role": "user", "content": "hi", "created": 1.0}],
        }
    ]
    [copy] = store.import_data(data)
    [message] = store.active_thread(copy)
    assert (message.reasoning, message.tool_calls) == ("", [])


def test_a_version_3_database_gains_the_columns(tmp_path):
    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=3)
    conn.execute("INSERT INTO conversations (title, created, updated) VALUES ('kept', 1, 1)")
    conn.execute(
        "INSERT INTO messages (conversation_id, role, content, created) VALUES (1, 'user', 'hi', 1)"
    )
    conn.close()
    store, notice = open_store(path)
    try:
        assert notice is None and store.schema_version == SCHEMA_VERSION == 4
        [message] = store.active_thread(1)
        assert (message.content, message.reasoning, message.tool_calls) == ("hi", "", [])
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert user_version(conn) == 4
    conn.close()
