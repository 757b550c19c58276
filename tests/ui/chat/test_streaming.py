"""An answer as it streams in the real window: waiting indicator, regenerate and continue in place."""

from __future__ import annotations

import pytest

from desktop_chat import settings as settings_mod

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def ask(qtbot, app, text: str, max_tokens: int = 24):
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", max_tokens)
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000) as blocker:
        app.chat.send_text(text)
    return blocker.args[1]


def test_an_answer_says_it_waits_for_the_first_token_until_text_comes(qtbot, ready_app):
    chat = ready_app.chat
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    seen: list[str] = []

    def note(_message_id: int, _text: str) -> None:
        view = chat.transcript.streaming_view
        seen.append(view.waiting_label.text() if view is not None else "")

    chat.controller.stream_started.connect(note)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("Say hello.")
    assert seen and seen[0].startswith("Waiting for the first token…") and seen[0].endswith(" s")
    assert not chat.transcript.views[-1].waiting_label.isVisible()
    assert chat.transcript.waiting == ""


def test_regenerate_streams_in_place_of_the_old_answer(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Say something short.")
    assert [v.role for v in chat.transcript.views] == ["user", "assistant"]
    roles_while_streaming: list[list[str]] = []
    chat.controller.stream_chunk.connect(
        lambda _text: roles_while_streaming.append([v.role for v in chat.transcript.views])
    )
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.actions.run("regenerate", chat.transcript.views[-1])
    assert roles_while_streaming
    assert all(roles == ["user", "assistant"] for roles in roles_while_streaming)
    assert [v.role for v in chat.transcript.views] == ["user", "assistant"]
    assert ready_app.store.siblings(chat.messages[-1].id).count == 2


def test_continue_streams_in_place_and_keeps_its_markdown(qtbot, ready_app):
    chat = ready_app.chat
    ask(qtbot, ready_app, "Write a long poem about the sea.", max_tokens=16)
    cut = chat.messages[-1]
    # As if the model had written Markdown: continuing must not show it raw again.
    ready_app.store.update_message(cut.id, content="**The sea** is wide,\n\nand")
    chat.reload_messages()
    shown: list[str] = []
    chat.controller.stream_chunk.connect(
        lambda _text: shown.append(chat.transcript.streaming_view.stream_body.toPlainText())
    )
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.actions.run("continue", chat.transcript.views[-1])
    assert [v.role for v in chat.transcript.views] == ["user", "assistant"]
    assert shown and all("**" not in text and text.startswith("The sea") for text in shown)


def test_a_card_waiting_for_sources_leaves_when_the_lookup_is_stopped(qtbot, ready_app):
    transcript = ready_app.chat.transcript
    transcript.wait_for_sources()
    view = transcript.streaming_view
    assert view is not None and view.waiting_label.text().startswith("Reading sources…")
    transcript.drop_unstarted()
    assert transcript.streaming_view is None and view not in transcript.views


def test_the_meter_moves_while_streaming_and_belongs_to_the_open_chat(qtbot, ready_app):
    chat = ready_app.chat
    label = chat.context_label
    seen: list[str] = []
    chat.controller.stream_chunk.connect(lambda _text: seen.append(label.text()))
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 48)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("Write a few sentences about rivers.")
    qtbot.waitUntil(lambda: chat.transcript.streaming_view is None)
    assert len(set(seen)) >= 2, seen  # it moved as the answer grew
    counted = label.text()
    assert counted.endswith("tokens") and not counted.startswith("≈")
    first = chat.conversation_id

    other = ready_app.store.create_conversation("Other")
    question = ready_app.store.add_message(other.id, "user", "word " * 400)
    ready_app.store.add_message(other.id, "assistant", "ok", parent_id=question.id)
    chat.open_conversation(other.id)
    assert label.text().startswith("≈") and label.text() != counted
    chat.new_chat()
    assert label.text() == ""
    chat.open_conversation(first)
    assert label.text() == counted
