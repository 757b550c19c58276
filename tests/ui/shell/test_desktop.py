"""Files a later launch hands over: archives imported, models registered, others explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_chat.store import open_store

# The offscreen platform can neither raise a window nor pass size hints on; a desktop can.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
)


def test_an_exported_archive_is_imported_and_the_window_raised(desktop_app, tmp_path: Path) -> None:
    other, _ = open_store(tmp_path / "other.sqlite3")
    conversation = other.create_conversation("Handed over by a second launch")
    other.add_message(conversation.id, "user", "Hello from the archive")
    archive = tmp_path / "exported.json"
    other.export_json(archive)
    other.close()
    desktop_app.window.showMinimized()
    desktop_app.shell.open_files([str(archive)])
    titles = [c.title for c in desktop_app.store.list_conversations()]
    assert "Handed over by a second launch" in titles
    assert not desktop_app.window.isMinimized()
    assert "Imported 1 conversation" in desktop_app.chat.banner.text


def test_a_file_it_cannot_open_is_explained(desktop_app, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not for this app")
    desktop_app.shell.open_files([str(notes)])
    text = desktop_app.chat.banner.text
    assert "notes.txt cannot be opened here" in text and ".gguf" in text


def test_a_model_is_linked_in_place_and_listed(qtbot, desktop_app, smollm_path: Path) -> None:
    from desktop_chat.models import library

    local = desktop_app.models.local
    desktop_app.shell.open_files([str(smollm_path)])
    assert desktop_app.window.stack.currentWidget() is desktop_app.models
    qtbot.waitUntil(lambda: not local.importing(), timeout=60_000)
    assert smollm_path.resolve() in [p.resolve() for p in library.registered_paths()]
