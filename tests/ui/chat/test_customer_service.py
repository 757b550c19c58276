"""The customer-service demo end to end: one click, a grounded answer with sources, kiosk view."""

from __future__ import annotations

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.ui.chat.citations import CitationsView


@pytest.fixture
def demo_app(qtbot, ready_app):
    with qtbot.waitSignal(ready_app.demo_opened, timeout=180_000):
        ready_app.start_demo()  # the knowledge base is prepared off the GUI thread
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 48)
    return ready_app


def ask(qtbot, app, text: str):
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000):
        app.chat.send_text(text)
    return app.chat.messages[-1]


def test_demo_button_sets_up_profile_knowledge_base_and_greeting(qtbot, demo_app):
    chat = demo_app.chat
    assert chat.profile is not None and chat.profile.id == "customer-service"
    assert demo_app.profile_picker.current_profile_id() == "customer-service"
    assert chat.suggestions.isVisibleTo(chat)
    assert "shop-demo" in demo_app.knowledge.names()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_an_in_knowledge_base_question_gets_an_answer_with_citations(qtbot, demo_app):
    answer = ask(qtbot, demo_app, "How long do refunds take?")
    assert answer.citations, "a grounded answer must carry its sources"
    assert any("refund" in c["text"].lower() for c in answer.citations)
    view = demo_app.chat.transcript.views[-1]
    [citations] = view.findChildren(CitationsView)
    assert citations.isVisibleTo(view)
    # Sources survive in history and in exports.
    stored = demo_app.store.active_thread(demo_app.chat.conversation_id)[-1]
    assert stored.citations == answer.citations


def test_an_off_topic_question_gets_no_made_up_citation(qtbot, demo_app):
    answer = ask(qtbot, demo_app, "What is the capital of France?")
    assert answer.citations == []
    assert demo_app.chat.transcript.views[-1].findChildren(CitationsView) == []


def test_a_chinese_question_finds_chinese_sources(qtbot, demo_app):
    answer = ask(qtbot, demo_app, "退款需要多长时间？")
    assert answer.citations
    assert any(c["source"].startswith("zh") for c in answer.citations)


def test_kiosk_view_shows_one_chat_in_large_type(qtbot, demo_app):
    window = demo_app.window
    window.set_kiosk(True)
    assert window.nav.isHidden() and window.menuBar().isHidden()
    assert demo_app.chat.sidebar.isHidden()
    assert demo_app.chat.new_chat_button.isVisibleTo(demo_app.chat)
    # The customer sees the shop, not the assistant profile's internal name.
    assert demo_app.chat.header.text() == "Lumen Lane"
    assert "Lumen Lane" in demo_app.chat.transcript._placeholder.toPlainText()
    window.set_kiosk(False)
    assert not window.nav.isHidden()


def test_export_and_import_through_the_window(qtbot, demo_app, tmp_path):
    ask(qtbot, demo_app, "Do you ship abroad?")
    archive = demo_app.export_conversations("all", tmp_path / "all.json")
    markdown = demo_app.export_conversations("current", tmp_path / "one.md")
    assert archive is not None and markdown is not None
    assert "Do you ship abroad?" in markdown.read_text()
    imported = demo_app.import_conversations(archive)
    assert len(imported) == 1
    assert len(demo_app.store.list_conversations()) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert demo_app.import_conversations(bad) == []
    assert "Nothing was imported" in demo_app.chat.banner.text
    assert len(demo_app.store.list_conversations()) == 2


def test_stop_while_the_knowledge_base_is_searched(qtbot, demo_app):
    from PySide6.QtCore import QCoreApplication

    chat = demo_app.chat
    chat.composer.setPlainText("How long do refunds take?")
    chat.on_send_clicked()
    assert chat.send_button.text() == "Stop"
    assert "Searching the knowledge base" in chat.banner.text
    chat.on_send_clicked()  # the same button, now Stop
    assert chat.send_button.text() == "Send" and chat.banner.isHidden()
    qtbot.waitUntil(lambda: not chat.controller.lookups.runner.busy(), timeout=60_000)
    QCoreApplication.processEvents()  # the lookup's late result is dropped
    assert [m.role for m in chat.messages] == ["user"]
    assert [v.role for v in chat.transcript.views] == ["user"]
    assert not demo_app.client.busy and chat.send_button.text() == "Send"
