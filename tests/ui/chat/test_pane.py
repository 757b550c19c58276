"""The Chat pane in the real window with the real model: streaming, stop, errors, closing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_chat import settings as settings_mod
from desktop_chat.engine.types import StopReason


def send(qtbot, app, text: str, max_tokens: int = 32):
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", max_tokens)
    app.chat.composer.setPlainText(text)
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000) as blocker:
        qtbot.keyClick(app.chat.composer, Qt.Key.Key_Return)
    return blocker.args[1]


def test_first_run_loads_the_starter_model(qtbot, desktop_app, smollm_path):
    assert desktop_app.first_model() == smollm_path
    with qtbot.waitSignal(desktop_app.client.model_loaded, timeout=180_000):
        desktop_app.start()
    assert desktop_app.chat.send_button.isEnabled()
    assert "SmolLM2-135M-Instruct · Q4_1" in desktop_app.chat.status_label.text()


def test_loading_state_is_visible(qtbot, desktop_app, smollm_path):
    desktop_app.load_model(smollm_path)
    assert "Loading model" in desktop_app.chat.banner.text
    assert not desktop_app.chat.send_button.isEnabled()
    qtbot.waitUntil(lambda: desktop_app.client.model is not None, timeout=180_000)
    assert desktop_app.chat.banner.isHidden()


def test_a_streamed_answer_appears_in_the_transcript(qtbot, ready_app):
    stats = send(qtbot, ready_app, "Write two sentences about the moon.")
    views = ready_app.chat.transcript.views
    assert [v.role for v in views] == ["user", "assistant"]
    assert views[0].text == "Write two sentences about the moon."
    assert views[1].text and not views[1].streaming
    assert stats.completion_tokens > 0
    assert "tokens/s" in ready_app.chat.status_label.text()
    assert ready_app.chat.composer.toPlainText() == ""


def test_shift_enter_adds_a_line_instead_of_sending(qtbot, ready_app):
    qtbot.keyClicks(ready_app.chat.composer, "line one")
    qtbot.keyClick(ready_app.chat.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(ready_app.chat.composer, "line two")
    assert ready_app.chat.composer.toPlainText() == "line one\nline two"
    assert ready_app.chat.transcript.views == []


def test_escape_stops_and_the_next_turn_works(qtbot, ready_app):
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 400)
    ready_app.chat.composer.setPlainText("Count slowly from one to three hundred.")
    qtbot.keyClick(ready_app.chat.composer, Qt.Key.Key_Return)
    assert ready_app.chat.send_button.text() == "Stop"
    qtbot.waitUntil(lambda: bool(ready_app.chat._answer), timeout=180_000)
    with qtbot.waitSignal(ready_app.chat.turn_finished, timeout=180_000) as blocker:
        qtbot.keyClick(ready_app.chat.composer, Qt.Key.Key_Escape)
    assert blocker.args[1].stop_reason == StopReason.STOPPED
    assert "stopped" in ready_app.chat.transcript.views[-1].meta_label.text()
    assert ready_app.chat.send_button.text() == "Send"
    stats = send(qtbot, ready_app, "Say hello.", max_tokens=16)
    assert stats.stop_reason in (StopReason.DONE, StopReason.LENGTH)


def test_html_in_a_message_is_shown_as_text(qtbot, ready_app):
    send(qtbot, ready_app, "<b>bold?</b> <script>alert(1)</script>", max_tokens=16)
    body = ready_app.chat.transcript.views[0].body.text()
    assert "&lt;b&gt;" in body and "<script>" not in body


def test_a_load_failure_says_so_and_the_app_stays_usable(qtbot, desktop_app, tmp_path, smollm_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with qtbot.waitSignal(desktop_app.client.model_load_failed, timeout=30_000):
        desktop_app.load_model(bad)
    assert not desktop_app.chat.banner.isHidden()  # the window itself is never shown here
    assert desktop_app.chat.banner.text.startswith("This GGUF file uses format version 0")
    assert not desktop_app.chat.send_button.isEnabled()
    with qtbot.waitSignal(desktop_app.client.model_loaded, timeout=180_000):
        desktop_app.load_model(smollm_path)
    assert desktop_app.chat.send_button.isEnabled()


def test_closing_the_window_mid_generation_exits_cleanly(qtbot, ready_app):
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 400)
    ready_app.chat.composer.setPlainText("Tell me a very long story.")
    ready_app.chat.on_send_clicked()
    qtbot.waitUntil(lambda: bool(ready_app.chat._answer), timeout=180_000)
    ready_app.window.close()
    assert not ready_app.client.thread_running


def test_titles_and_model_names_are_shown_as_text_never_as_markup(qtbot, ready_app):
    import dataclasses

    from PySide6.QtCore import Qt

    chat = ready_app.chat
    title = "<img src=/dev/zero> <b>bold?</b>"
    conversation = ready_app.store.create_conversation(title)
    chat.open_conversation(conversation.id)
    assert chat.header.textFormat() == Qt.TextFormat.PlainText
    assert chat.header.text() == title
    # The model's name comes from its file's metadata: as untrusted as any answer.
    model = ready_app.client.model
    ready_app.client.model = dataclasses.replace(model, name="<img src=/dev/zero>")
    try:
        chat.new_chat()
        # Escaped, the name reads as itself; as markup it would have become an image.
        assert "<img src=/dev/zero>" in chat.transcript._placeholder.toPlainText()
        chat.show_model_ready(ready_app.client.model)
        assert chat.status_label.textFormat() == Qt.TextFormat.PlainText
    finally:
        ready_app.client.model = model
