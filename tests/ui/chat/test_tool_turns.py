"""From the window: an MCP tool is offered, approved inline, run, shown as a card, stored with
the answer and shown again when the chat is reopened; Deny tells the model."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_chat.tools import config
from desktop_chat.ui.chat.tool_approval import ToolApproval

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SERVER = Path(__file__).resolve().parents[2] / "fixtures" / "mcp_server.py"


def _with_add_tool(qtbot, app) -> None:
    server = config.ServerConfig(
        name="test",
        command=sys.executable,
        args=[str(SERVER)],
        disabled_tools=["echo", "fail", "hang", "huge"],
    )
    config.save(config.ToolsConfig(servers=[server]))
    tools = app.chat.controller.tools
    tools.refresh()
    qtbot.waitUntil(lambda: [s.name for s in tools.specs()] == ["add"], timeout=60_000)
    tools.tool_choice = "required"  # the starter model calls only when the grammar makes it


def _answer_with(qtbot, app, button: str):
    chat = app.chat
    chat.composer.setPlainText("What is 17 plus 25? Use the add tool.")
    chat.on_send_clicked()

    def approval() -> ToolApproval | None:
        view = chat.transcript.streaming_view
        found = view.findChildren(ToolApproval) if view is not None else []
        return next((w for w in found if w.decision is None), None)

    qtbot.waitUntil(lambda: approval() is not None, timeout=180_000)
    widget = approval()
    assert widget is not None and "add" in widget.question.text()
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        qtbot.mouseClick(getattr(widget, button), Qt.MouseButton.LeftButton)
    return chat.transcript.views[-1]


def test_an_approved_call_is_a_card_stored_and_shown_again(qtbot, ready_app) -> None:
    _with_add_tool(qtbot, ready_app)
    answer = _answer_with(qtbot, ready_app, "allow_button")
    [card] = answer.tool_cards
    record = card.record
    assert record["name"] == "add" and record["status"] == "done"
    assert record["result"] == str(record["arguments"]["a"] + record["arguments"]["b"])
    assert "<tool_call>" not in answer.text
    controller = ready_app.chat.controller
    stored = controller.store.active_thread(controller.conversation_id)[-1]
    assert stored.tool_calls == [record]
    conversation = controller.conversation_id
    ready_app.chat.new_chat()
    ready_app.chat.open_conversation(conversation)
    [again] = ready_app.chat.transcript.views[-1].tool_cards
    assert again.record == record


def test_a_denied_call_tells_the_model_and_the_turn_goes_on(qtbot, ready_app) -> None:
    _with_add_tool(qtbot, ready_app)
    answer = _answer_with(qtbot, ready_app, "deny_button")
    [card] = answer.tool_cards
    assert card.record["status"] == "denied" and "not allowed" in card.header.text()


def test_stop_ends_a_running_call_and_the_turn(qtbot, ready_app) -> None:
    server = config.ServerConfig(
        name="test",
        command=sys.executable,
        args=[str(SERVER)],
        timeout_s=600,
        disabled_tools=["echo", "add", "fail", "huge"],
        trusted_tools=["hang"],  # trusted: runs without asking
    )
    config.save(config.ToolsConfig(servers=[server]))
    tools = ready_app.chat.controller.tools
    tools.refresh()
    qtbot.waitUntil(lambda: [s.name for s in tools.specs()] == ["hang"], timeout=60_000)
    tools.tool_choice = "required"
    chat = ready_app.chat
    chat.composer.setPlainText("Wait a while.")
    chat.on_send_clicked()
    qtbot.waitUntil(lambda: tools.calls_running, timeout=180_000)
    with qtbot.waitSignal(chat.turn_finished, timeout=60_000):
        chat.on_send_clicked()  # Send is Stop while the answer is busy
    [card] = chat.transcript.views[-1].tool_cards
    assert card.record["status"] == "cancelled" and "stopped" in card.header.text()
