"""The thought block above an answer and the JSON card: alone, streaming, reloaded, real model."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from desktop_chat.chat.profiles import BUILTIN_PROFILES
from desktop_chat.ui.chat.message_view import MessageView
from desktop_chat.ui.chat.thinking_block import ThinkingBlock
from desktop_chat.ui.chat.transcript import Transcript

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_the_block_is_collapsed_and_a_click_expands_it(qtbot):
    block = ThinkingBlock("dark")
    qtbot.addWidget(block)
    block.show()
    block.set_text("First, recall Rayleigh scattering.")
    block.finish(12.4)
    assert block.header.text() == "▸ Thought for 12 s" and not block.body.isVisible()
    qtbot.mouseClick(block.header, Qt.MouseButton.LeftButton)
    assert block.expanded and block.body.isVisible()
    assert block.body.text() == "First, recall Rayleigh scattering."
    assert block.header.text().startswith("▾")
    qtbot.mouseClick(block.header, Qt.MouseButton.LeftButton)
    assert not block.body.isVisible()


def test_reasoning_streams_live_into_the_block_until_the_answer_starts(qtbot):
    transcript = Transcript()
    qtbot.addWidget(transcript)
    view = transcript.begin_stream()
    transcript.append_reasoning("Let me think")
    block = view.thinking_block
    assert block is not None and block.live and block.header.text().startswith("▸ Thinking…")
    block.set_expanded(True)
    transcript.append_reasoning(" about it.")
    assert block.body.text() == "Let me think about it."
    transcript.append_stream("The answer.")
    transcript.flush()
    assert not block.live and "Thought for" in block.header.text()
    transcript.end_stream("The answer.")
    assert view.text == "The answer."


def test_a_flat_json_answer_is_a_card_and_other_text_is_not(qtbot):
    doc = {"sentiment": "negative", "confidence": 0.8, "summary": "The lampshade was scratched."}
    view = MessageView("assistant", json.dumps(doc), theme="dark")
    qtbot.addWidget(view)
    card = view.json_card
    assert card is not None and view.body.isHidden()
    assert card.values["sentiment"].text() == "Negative"
    assert card.values["confidence"].text() == "80%"
    assert card.values["summary"].text() == "The lampshade was scratched."
    plain = MessageView("assistant", "Just text, {not json}.")
    qtbot.addWidget(plain)
    assert plain.json_card is None and not plain.body.isHidden()
    nested = MessageView("assistant", json.dumps({"a": {"b": 1}}))
    qtbot.addWidget(nested)
    assert nested.json_card is None


def test_a_stored_reasoning_shows_collapsed_above_its_answer(qtbot, ready_app):
    store = ready_app.chat.controller.store
    chat = store.create_conversation("Sky")
    store.add_message(chat.id, "user", "Why is the sky blue?")
    store.add_message(
        chat.id,
        "assistant",
        "Because of Rayleigh scattering.",
        reasoning="Short wavelengths scatter more.",
        metadata={"thought_s": 3.2},
    )
    ready_app.chat.open_conversation(chat.id)
    answer = ready_app.chat.transcript.views[-1]
    block = answer.thinking_block
    assert block is not None and block.header.text() == "▸ Thought for 3 s"
    assert not block.expanded and answer.text == "Because of Rayleigh scattering."


def test_the_feedback_analyzer_answers_with_a_card(qtbot, ready_app):
    feedback = next(p for p in BUILTIN_PROFILES if p.id == "feedback")
    ready_app.chat.set_profile(feedback)
    ready_app.chat.composer.setPlainText("Fast delivery, but the lampshade arrived scratched.")
    with qtbot.waitSignal(ready_app.chat.turn_finished, timeout=180_000):
        ready_app.chat.on_send_clicked()
    answer = ready_app.chat.transcript.views[-1]
    qtbot.waitUntil(lambda: answer.json_card is not None, timeout=10_000)
    card = answer.json_card
    assert set(card.values) == {"sentiment", "confidence", "summary"}
    assert card.values["sentiment"].text() in ("Positive", "Neutral", "Negative")
    assert card.values["confidence"].text().endswith("%")
