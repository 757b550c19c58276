"""Tool cards inside a message view, and stored calls shown again when a chat is reopened."""

from __future__ import annotations

from tests.ui.chat.test_tool_card import DONE


def test_a_view_hosts_its_cards_above_the_answer(qtbot) -> None:
    from desktop_chat.ui.chat.message_view import MessageView

    view = MessageView("assistant", "The sum is 5.")
    qtbot.addWidget(view)
    first = view.add_tool_call(DONE)
    second = view.add_tool_call({**DONE, "name": "echo"})
    layout = view.body_box.layout()
    assert layout.indexOf(first) == 0 and layout.indexOf(second) == 1
    assert layout.indexOf(second) < layout.indexOf(view.body)
    view.set_theme("dark")


def test_stored_tool_calls_show_again_on_reload(qtbot, ready_app) -> None:
    store = ready_app.chat.controller.store
    chat = store.create_conversation("Sums")
    store.add_message(chat.id, "user", "What is 2 + 3?")
    store.add_message(chat.id, "assistant", "It is 5.", tool_calls=[DONE])
    ready_app.chat.open_conversation(chat.id)
    answer = ready_app.chat.transcript.views[-1]
    [card] = answer.tool_cards
    assert card.record["result"] == "5" and "add" in card.header.text()
