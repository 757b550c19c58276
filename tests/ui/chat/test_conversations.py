"""Conversations that last, through the real window and model: saved, switched, branched."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from desktop_chat import paths
from desktop_chat import settings as settings_mod
from desktop_chat.store import open_store


def set_max(app, n: int) -> None:
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", n)


def ask(qtbot, app, text: str, max_tokens: int = 16):
    set_max(app, max_tokens)
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000) as blocker:
        app.chat.send_text(text)
    return blocker.args[1]


def test_a_conversation_survives_a_restart(qtbot, qapp, ready_app, smollm_path):
    ask(qtbot, ready_app, "What is a rainbow?")
    conversation_id = ready_app.chat.conversation_id
    answer = ready_app.chat.messages[-1].content
    ready_app.window.close()
    ready_app.shutdown()

    from desktop_chat.app import DesktopChat

    again = DesktopChat(qapp)
    qtbot.addWidget(again.window)
    try:
        titles = [c.title for c in again.store.list_conversations()]
        assert titles == ["What is a rainbow?"]
        again.chat.open_conversation(conversation_id)
        assert [v.role for v in again.chat.transcript.views] == ["user", "assistant"]
        assert again.chat.transcript.views[1].text == answer
        assert "tokens/s" in again.chat.transcript.views[1].meta_label.text()
    finally:
        again.window.close()
        again.shutdown()


def test_switching_chats_mid_stream_never_mixes_tokens(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Hello there.")
    first_chat = chat.conversation_id
    set_max(ready_app, 300)
    first_request = chat.send_text("Tell me a long story about a fox.")
    qtbot.waitUntil(lambda: bool(chat._answer), timeout=180_000)
    chat.new_chat()  # switch away while the fox story is still streaming
    assert chat.request_id == 0 and chat.transcript.views == []
    set_max(ready_app, 16)
    with qtbot.waitSignal(
        chat.turn_finished, timeout=180_000, check_params_cb=lambda i, _s: i != first_request
    ):
        chat.send_text("Name a colour.")
    second_chat = chat.conversation_id
    assert second_chat != first_chat
    store = ready_app.store
    fox = store.active_thread(first_chat)[-1]
    colour = store.active_thread(second_chat)[-1]
    assert fox.role == "assistant" and fox.content and fox.stop_reason == "stopped"
    assert colour.content == chat.transcript.views[-1].text
    assert colour.content not in fox.content
    assert chat.transcript.views[0].text == "Name a colour."


def test_escape_cancels_an_edit_and_keeps_the_question(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Name a fruit.")
    view = chat.transcript.views[0]
    chat.actions.run("edit", view)
    view.editor.box.setPlainText("Something else")
    qtbot.keyClick(view.editor.box, Qt.Key.Key_Escape)
    assert view.editor is None and view.body.isVisibleTo(view)
    assert [m.content for m in chat.messages][:1] == ["Name a fruit."]


def test_edit_keeps_the_old_question_as_a_branch(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Name a fruit.")
    question = chat.messages[0]
    set_max(ready_app, 16)
    view = chat.transcript.views[0]
    chat.actions.run("edit", view)  # the question's card becomes an editor, in place
    assert view.editor is not None and view.editor.box.toPlainText() == "Name a fruit."
    assert not view.body.isVisibleTo(view)
    view.editor.box.setPlainText("Name a vegetable.")
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        qtbot.keyClick(view.editor.box, Qt.Key.Key_Return)
    assert chat.messages[0].content == "Name a vegetable."
    assert chat.transcript.views[0].branch_label.text() == "2 / 2"
    chat.actions.run("previous", chat.transcript.views[0])
    assert chat.messages[0].id == question.id
    assert chat.transcript.views[0].branch_label.text() == "1 / 2"


def test_regenerate_adds_an_alternative_answer(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Say something.")
    first = chat.messages[-1]
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.actions.run("regenerate", chat.transcript.views[-1])
    assert chat.messages[-1].id != first.id
    assert ready_app.store.siblings(chat.messages[-1].id).count == 2


def test_continue_extends_a_cut_off_answer(qtbot, ready_app):
    chat = ready_app.chat
    stats = ask(qtbot, ready_app, "Write a long poem about the sea.", max_tokens=16)
    assert str(stats.stop_reason) == "length"
    cut = chat.messages[-1]
    continue_button = chat.transcript.views[-1].action_button("continue")
    assert continue_button is not None
    set_max(ready_app, 16)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.actions.run("continue", chat.transcript.views[-1])
    longer = chat.messages[-1]
    assert longer.id == cut.id
    assert longer.content.startswith(cut.content) and len(longer.content) > len(cut.content)


def test_delete_a_message(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "One.")
    chat.actions.confirm = lambda *_: True
    chat.actions.run("delete", chat.transcript.views[-1])
    assert [m.role for m in chat.messages] == ["user"]


def test_a_huge_paste_is_accepted_and_explained(qtbot, ready_app):
    chat = ready_app.chat
    paste = "The quick brown fox jumps over the lazy dog. " * 4000  # ~40,000 tokens
    stats = ask(qtbot, ready_app, paste)
    assert stats.prompt_tokens < ready_app.client.model.n_ctx
    assert "context window" in chat.banner.text
    assert chat.messages[0].content == paste  # stored in full, nothing lost


def test_a_corrupt_database_is_moved_aside_and_the_user_told(qtbot, qapp):
    db = paths.database_file()
    db.write_bytes(b"this is not a database" * 100)
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        assert "kept at" in app.startup_banner.text
        assert list(db.parent.glob("conversations.sqlite3.corrupt-*"))
        assert app.store.list_conversations() == []
    finally:
        app.window.close()
        app.shutdown()


def test_the_stored_database_passes_integrity_check(qtbot, ready_app):
    ask(qtbot, ready_app, "Check me.")
    with sqlite3.connect(paths.database_file()) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_headless_chat_saves_unless_told_not_to(app_home):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESKTOP_CHAT_HOME": str(app_home)}
    for extra in ([], ["--no-save"]):
        subprocess.run(
            [sys.executable, "-m", "desktop_chat", "chat", "--max-tokens", "16", *extra, "Hi!"],
            check=True,
            env=env,
            capture_output=True,
            timeout=120,
        )
    store, _ = open_store()
    try:
        assert [c.title for c in store.list_conversations()] == ["Hi!"]
    finally:
        store.close()


def test_the_ask_policy_stops_and_offers_to_drop_old_turns(qtbot, ready_app):
    chat = ready_app.chat
    ready_app.settings = settings_mod.with_value(ready_app.settings, "app.context_policy", "ask")
    set_max(ready_app, 16)
    with qtbot.waitSignal(chat.turn_failed, timeout=180_000):
        chat.send_text("The quick brown fox jumps over the lazy dog. " * 1000)
    assert "no longer fits" in chat.banner.text
    assert chat.banner.button.text() == "Drop oldest turns"
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.banner.button.click()
    assert chat.messages[-1].role == "assistant" and chat.messages[-1].content
    policy = ready_app.store.get_conversation(chat.conversation_id).context_policy
    assert policy == "drop_oldest"
