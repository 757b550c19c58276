"""App-wide behaviour: language, deleting all data, settings reloads, bad settings files."""

from __future__ import annotations

import json

import pytest

from desktop_chat import paths
from desktop_chat import settings as settings_mod
from desktop_chat.ui.shell.i18n import remove_translators


def test_the_window_speaks_chinese_when_asked(qtbot, qapp):
    settings_mod.save(settings_mod.with_value(settings_mod.Settings(), "app.language", "zh_CN"))
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        assert [b.text() for b in app.window.nav_buttons][:2] == ["聊天", "模型"]
        assert app.chat.send_button.text() != "Send"
    finally:
        app.window.close()
        app.shutdown()
        remove_translators(qapp)


def test_a_corrupt_settings_file_is_moved_aside_and_explained(qtbot, qapp):
    paths.settings_file().write_text("{ this is not json")
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        assert "settings" in app.startup_banner.text.lower()
        assert list(paths.config_dir().glob("settings.json.corrupt-*"))
        assert app.settings.inference == settings_mod.Settings().inference
    finally:
        app.window.close()
        app.shutdown()


def test_changing_the_context_length_reloads_and_the_chat_goes_on(qtbot, ready_app):
    pane = ready_app.settings_pane
    pane.editors["inference.n_ctx"].setValue(2048)
    with qtbot.waitSignal(ready_app.client.model_loaded, timeout=180_000):
        pane.apply()
    assert ready_app.client.model.n_ctx == 2048
    assert json.loads(paths.settings_file().read_text())["inference"]["n_ctx"] == 2048
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(ready_app.chat.turn_finished, timeout=180_000):
        ready_app.chat.send_text("Still there?")
    assert ready_app.chat.messages[-1].content


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_delete_all_my_data(qtbot, ready_app):
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(ready_app.chat.turn_finished, timeout=180_000):
        ready_app.chat.send_text("Remember me?")
    with qtbot.waitSignal(ready_app.demo_opened, timeout=180_000):
        ready_app.start_demo()
    assert ready_app.store.list_conversations()
    with qtbot.waitSignal(ready_app.client.model_loaded, timeout=180_000):
        ready_app.delete_all_data()
    assert ready_app.store.list_conversations() == []
    assert "deleted" in ready_app.settings_pane.banner.text
    assert ready_app.settings.generation == settings_mod.Settings().generation
    # The starter model loaded again and was remembered, in memory and in a new file.
    assert ready_app.settings.app.current_model == str(ready_app.client.model.path)
    assert settings_mod.load().settings.app.current_model == str(ready_app.client.model.path)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_after_deleting_all_data_chats_are_answered_saved_and_searched(qtbot, ready_app):
    chat = ready_app.chat
    chat.sidebar.open_search()  # a dialog made before the delete, holding the old store
    chat.sidebar.search_dialog.reject()
    with qtbot.waitSignal(ready_app.client.model_loaded, timeout=180_000):
        ready_app.delete_all_data()
    for key, value in (("generation.seed", 3), ("generation.max_tokens", 400)):
        ready_app.settings = settings_mod.with_value(ready_app.settings, key, value)
    store = ready_app.store
    timer_saves: list[str] = []  # writes of a growing answer: content only, not completed
    update = store.update_message

    def recording_update(message_id, **changes):
        if "content" in changes and "complete" not in changes:
            timer_saves.append(changes["content"])
        return update(message_id, **changes)

    store.update_message = recording_update
    chat.composer.setPlainText("Write a very long story.")
    chat.on_send_clicked()
    assert chat.send_button.text() == "Stop", chat.banner.text
    # Saved while it streams: the save timer runs again, and writes to the new store.
    qtbot.waitUntil(lambda: bool(timer_saves), timeout=180_000)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.stop()
    answer = store.active_thread(chat.conversation_id)[-1]
    assert answer.role == "assistant" and answer.content.startswith(timer_saves[0])
    assert answer.content == chat.transcript.views[-1].text
    chat.sidebar.open_search()
    dialog = chat.sidebar.search_dialog
    dialog.set_query("story")
    assert dialog.results.count() >= 1
    assert "failed" not in dialog.status_label.text()
    dialog.reject()


def test_history_held_by_another_copy_still_starts_and_loses_nothing(qtbot, qapp, smollm_path):
    import sqlite3

    from desktop_chat.store import open_store

    store, _ = open_store()
    kept = store.create_conversation("from the other copy")
    store.delete_conversation(kept.id)  # a purge is due at start-up, and must not crash it
    store.restore_conversation(kept.id)
    store.close()
    blocker = sqlite3.connect(paths.database_file(), timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")  # the other copy is writing
    from desktop_chat.app import DesktopChat

    try:
        app = DesktopChat(qapp)
        qtbot.addWidget(app.window)
        try:
            assert [c.title for c in app.store.list_conversations()] == ["from the other copy"]
            with qtbot.waitSignal(app.client.model_loaded, timeout=180_000):
                app.load_model(smollm_path)
            app.chat.composer.setPlainText("Will this be saved?")
            app.chat.on_send_clicked()
            assert "could not be saved" in app.chat.banner.text
            assert app.chat.composer.toPlainText() == "Will this be saved?"  # nothing lost
        finally:
            app.window.close()
            app.shutdown()
    finally:
        blocker.rollback()
        blocker.close()


def test_a_model_whose_template_is_refused_says_so_in_the_window(
    qtbot, desktop_app, smollm_path, tmp_path
):
    """The fallback used to be written only to the log: the user saw odd answers and no why."""
    from tests.engine.gguf_template import with_chat_template

    broken = with_chat_template(smollm_path, tmp_path / "broken.gguf", "{% for x in %}")
    with qtbot.waitSignal(desktop_app.client.model_loaded, timeout=180_000):
        desktop_app.load_model(broken)
    qtbot.waitUntil(lambda: "chat template is broken" in desktop_app.chat.banner.text)


def test_applying_settings_keeps_the_profile_the_app_chose_since(qtbot, desktop_app) -> None:
    """The app records the last profile itself; the Settings pane's copy must follow, or the
    next Apply (of anything) writes the old profile back."""
    desktop_app._on_profile_chosen("customer-service")
    assert desktop_app.settings.app.last_profile == "customer-service"
    pane = desktop_app.settings_pane
    editor = pane.editors["appearance.theme"]
    editor.setCurrentIndex(editor.findData("dark"))
    with qtbot.waitSignal(pane.applied, timeout=2000):
        pane.apply()
    assert desktop_app.settings.app.last_profile == "customer-service"
    assert settings_mod.load().settings.app.last_profile == "customer-service"
