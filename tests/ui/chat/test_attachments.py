"""Attach a document through the real window: 📎 or a drop on the composer, chips, removal,
a restart, the answer's prompt and sources, and the export."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_chat import settings as settings_mod
from desktop_chat.ui.chat.citations import CitationsView

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

NOTE = (
    "# Harbour Cycles workshop note\n\n"
    "The workshop door code is ZEBRA-42. The workshop opens at 8:00 and closes at 16:00.\n"
)


def attach_with_clip(qtbot, app, file):
    bar = app.chat.attachments
    bar.ask_files = lambda: [str(file)]
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.service.busy(), timeout=120_000)
    return bar


def drop_on_composer(composer, files) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    composer.dropEvent(event)
    assert event.isAccepted()


def test_attach_drop_remove_and_restart(qtbot, qapp, desktop_app, tmp_path):
    from desktop_chat.app import DesktopChat

    note, broken = tmp_path / "note.md", tmp_path / "photo.md"
    note.write_text(NOTE)
    broken.write_bytes(b"\x89PNG\x00\x00" * 200)
    chat = desktop_app.chat
    bar = attach_with_clip(qtbot, desktop_app, note)
    conversation_id = chat.conversation_id
    assert conversation_id is not None  # a new chat was stored for the document
    assert [c.label.text() for c in bar.chips] == ["note.md · read in full"]
    assert bar.isVisibleTo(chat) and bar.button.isVisibleTo(chat)
    drop_on_composer(chat.composer, [broken])
    qtbot.waitUntil(lambda: not bar.service.busy(), timeout=60_000)
    assert chat.composer.toPlainText() == ""  # a drop attaches, it does not paste the path
    assert len(bar.chips) == 2
    failed = bar.chips[1]
    assert failed.label.text().startswith("photo.md — ")
    assert "photo.md" in failed.attachment.error and failed.label.objectName() == "fieldError"
    qtbot.mouseClick(failed.remove_button, Qt.MouseButton.LeftButton)
    assert [c.attachment.name for c in bar.chips] == ["note.md"]
    assert [a.name for a in desktop_app.store.attachments(conversation_id)] == ["note.md"]
    chat.new_chat()
    assert bar.chips == [] and bar.isHidden()
    desktop_app.window.close()
    desktop_app.shutdown()
    again = DesktopChat(qapp)
    qtbot.addWidget(again.window)
    try:
        again.chat.open_conversation(conversation_id)
        assert [c.label.text() for c in again.chat.attachments.chips] == ["note.md · read in full"]
    finally:
        again.window.close()
        again.shutdown()


def test_the_answer_reads_the_attached_document_and_cites_it(qtbot, ready_app, tmp_path):
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 32)
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    attach_with_clip(qtbot, ready_app, note)
    sent = []
    generate = ready_app.client.generate

    def spy(request):
        sent.append(request)
        return generate(request)

    ready_app.client.generate = spy
    chat = ready_app.chat
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("What is the workshop door code?")
    [request] = sent
    assert "The workshop door code is ZEBRA-42." in request.system
    assert "[1] note.md" in request.system
    answer = ready_app.store.active_thread(chat.conversation_id)[-1]
    assert answer.role == "assistant"
    assert [c["source"] for c in answer.citations] == ["note.md"]
    [panel] = chat.transcript.views[-1].findChildren(CitationsView)
    assert panel.buttons[0].text().startswith("[1] note.md")
    archive = ready_app.export_conversations("current", tmp_path / "one.json")
    assert archive is not None
    [exported] = json.loads(archive.read_text())["conversations"]
    assert [a["name"] for a in exported["attachments"]] == ["note.md"]
    assert "ZEBRA-42" in exported["attachments"][0]["sections"][0]["text"]
    markdown = ready_app.export_conversations("current", tmp_path / "one.md")
    assert markdown is not None and "- note.md" in markdown.read_text()


def test_a_large_document_is_searched_for_each_question(qtbot, ready_app, tmp_path):
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    routes = "\n\n".join(
        f"## Route {n}\n\nRoute {n} follows the canal for {n} kilometres past the old mill."
        for n in range(1, 200)
    )
    guide = tmp_path / "guide.md"
    guide.write_text(f"# Guide\n\n{routes}\n\n## Helmets\n\nHelmets are free with every rental.\n")
    bar = attach_with_clip(qtbot, ready_app, guide)
    assert [c.label.text() for c in bar.chips] == ["guide.md · searched for each question"]
    sent = []
    generate = ready_app.client.generate

    def spy(request):
        sent.append(request)
        return generate(request)

    ready_app.client.generate = spy
    chat = ready_app.chat
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("Are helmets free?")
        assert "guide.md" in chat.banner.text  # searched off the GUI thread
    [request] = sent
    assert "Helmets are free with every rental." in request.system
    assert "kilometres" not in request.system or request.system.count("kilometres") < 10
    answer = ready_app.store.active_thread(chat.conversation_id)[-1]
    assert answer.citations and all(c["source"] == "guide.md" for c in answer.citations)
