"""The custom-template editor renders its preview on a task: a hostile template never freezes it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from desktop_chat import tasks
from desktop_chat.engine import chat_formats
from desktop_chat.ui.settings import template_editor
from desktop_chat.ui.settings.template_editor import EXAMPLE_TEMPLATE, ChatTemplateEditor

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture
def editor(qtbot) -> Iterator[ChatTemplateEditor]:
    window = QWidget()  # never shown: the editor shows itself for "custom", as in the pane
    qtbot.addWidget(window)
    widget = ChatTemplateEditor(window)
    widget.format_combo.setCurrentIndex(widget.format_combo.findData("custom"))
    qtbot.waitUntil(lambda: not widget.checking(), timeout=10_000)
    yield widget
    widget.shutdown()
    assert tasks.live_tasks() == []


def test_the_preview_renders_off_the_gui_thread(qtbot, editor, monkeypatch) -> None:
    threads: list[threading.Thread] = []

    def recording_preview(*args, **kwargs) -> str:
        threads.append(threading.current_thread())
        return chat_formats.preview(*args, **kwargs)

    monkeypatch.setattr(template_editor, "preview", recording_preview)
    editor.code.setPlainText(EXAMPLE_TEMPLATE + "!")
    editor.refresh_preview()
    qtbot.waitUntil(lambda: editor.preview.toPlainText().endswith("!"), timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    assert editor.error() is None


def test_a_hostile_template_ends_in_a_sentence_and_apply_is_refused(qtbot, editor) -> None:
    editor.code.setPlainText(NESTED_LOOP)
    editor.refresh_preview()
    assert editor.checking()  # the GUI thread is free while the sandbox works
    assert editor.error() == "The chat template is still being checked. Try again in a moment."
    qtbot.waitUntil(lambda: not editor.checking(), timeout=30_000)
    sentence = editor.error_label.text()
    assert sentence.startswith("The chat template was stopped")
    assert not editor.error_label.isHidden()
    assert editor.error() == sentence
    assert editor.preview.toPlainText() == ""


def test_a_newer_text_replaces_a_check_in_flight(qtbot, editor) -> None:
    editor.code.setPlainText(NESTED_LOOP)
    editor.refresh_preview()
    editor.code.setPlainText(EXAMPLE_TEMPLATE)
    editor.refresh_preview()
    qtbot.waitUntil(lambda: not editor.checking(), timeout=30_000)
    assert "What is 2 + 2?" in editor.preview.toPlainText()
    assert editor.error_label.isHidden()
    assert editor.error() is None


def test_shutdown_stops_a_check_in_flight(qtbot, editor) -> None:
    editor.code.setPlainText(NESTED_LOOP)
    editor.refresh_preview()
    editor.shutdown()
    assert tasks.live_tasks() == []
