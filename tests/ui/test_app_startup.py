"""Start-up on an unusable data folder ends in a sentence; start-up notices outlive the loading."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import app as app_module
from desktop_chat import paths, tasks
from desktop_chat.engine import client as client_module


def _mount_read_only_tmpfs(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def read_only_data(app_home: Path) -> Iterator[Path]:
    """The data folder on a read-only tmpfs; as a normal user, chmod 0o555 does the same."""
    folder = app_home / "data"
    if os.geteuid() != 0:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if not _mount_read_only_tmpfs(folder):
        pytest.skip("running as root (chmod cannot stop writes) and mounting is not allowed")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def _refused(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return True
    return False


def test_a_read_only_data_folder_is_a_sentence_and_stops_the_engine(qtbot, qapp, read_only_data):
    assert _refused(read_only_data)
    with pytest.raises(app_module.StartupError) as caught:
        app_module.DesktopChat(qapp)
    sentence = str(caught.value)
    assert sentence.startswith("Desktop Chat cannot start: ")
    assert str(read_only_data) in sentence and "Make that folder writable" in sentence
    assert "Traceback" not in sentence
    # The engine thread was stopped before the error went on (else Qt aborts the process).
    assert client_module.running_engine_threads() == 0
    assert tasks.live_tasks() == []


def test_run_gui_shows_the_sentence_and_exits_with_1(qtbot, qapp, read_only_data, monkeypatch):
    shown: list[str] = []
    # The modal dialog (plain text, ui/shell/widgets.show_error) would block the test.
    monkeypatch.setattr(app_module, "show_error", lambda _parent, _title, text: shown.append(text))
    assert app_module.run_gui([]) == 1
    assert len(shown) == 1 and shown[0].startswith("Desktop Chat cannot start: ")


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_start_up_notice_stays_while_the_model_loads_and_after(qtbot, qapp, smollm_path):
    database = paths.database_file()
    database.write_bytes(b"this is not a database" * 100)
    desktop = app_module.DesktopChat(qapp)
    qtbot.addWidget(desktop.window)
    try:
        notice = desktop.startup_banner.text
        assert "kept at" in notice
        with qtbot.waitSignal(desktop.client.model_loaded, timeout=180_000):
            desktop.load_model(smollm_path)
            assert desktop.chat.banner.text.startswith("Loading model")
            assert not desktop.startup_banner.isHidden()
        assert desktop.chat.banner.isHidden()  # the model is ready
        assert not desktop.startup_banner.isHidden()
        assert desktop.startup_banner.text == notice
    finally:
        desktop.window.close()
        desktop.shutdown()
