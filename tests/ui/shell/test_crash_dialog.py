"""An uncaught error while an answer streams: the answer is saved, a dialog says so, the app goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from desktop_chat import crash_guard
from desktop_chat.ui.shell.crash_dialog import MAX_DIALOGS, CrashReporter

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

PROMPT = "List twenty fruits, one per line, with a sentence about each."


def boom() -> None:
    raise RuntimeError("a bug in a slot")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_while_streaming_saves_the_answer_and_the_app_goes_on(
    qtbot, ready_app, tmp_path: Path
) -> None:
    app = ready_app
    controller = app.chat.controller
    # No timed saves: what is on disk when the dialog shows was written for the dialog.
    controller.answers.writer.interval_s = 3600.0
    reporter = app.shell.crash_reporter
    guard = crash_guard.CrashGuard(reporter.report, tmp_path / "fault.log").install()
    try:
        finished: list[object] = []
        app.chat.turn_finished.connect(lambda _i, stats: finished.append(stats))
        app.chat.composer.setPlainText(PROMPT)
        app.chat.on_send_clicked()
        qtbot.waitUntil(lambda: len(controller.answer_text) > 20, timeout=120_000)
        stream = controller.answers.get(controller.request_id)
        assert stream is not None
        QTimer.singleShot(0, boom)  # raised from the event loop, as a real slot's error is
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        dialog = reporter.dialog
        assert dialog is not None
        saved = app.store.get_message(stream.message_id)
        assert saved.content and stream.text.startswith(saved.content)
        assert not saved.complete
        assert "RuntimeError: a bug in a slot" in dialog.details.toPlainText()
        dialog.copy_button.click()
        assert "a bug in a slot" in QGuiApplication.clipboard().text()
        dialog.continue_button.click()
        assert not dialog.isVisible()
        # The app is alive: the answer streams on to its end and the next question works.
        qtbot.waitUntil(lambda: bool(finished), timeout=180_000)
        done = app.store.get_message(stream.message_id)
        assert done.complete and done.content.startswith(saved.content)
        finished.clear()
        app.chat.composer.setPlainText("Hi!")
        app.chat.on_send_clicked()
        qtbot.waitUntil(lambda: bool(finished), timeout=180_000)
    finally:
        guard.uninstall()


def test_errors_while_the_dialog_is_open_join_it_and_floods_stop_at_a_few(qtbot) -> None:
    saves: list[int] = []
    reporter = CrashReporter(lambda: None, Path("/tmp/x.log"), lambda: saves.append(1))
    reporter.report("first error")
    reporter.report("second error")
    qtbot.waitUntil(lambda: len(saves) == 2)
    assert reporter.dialog is not None
    text = reporter.dialog.details.toPlainText()
    assert "first error" in text and "second error" in text
    assert reporter.shown == 1
    for number in range(MAX_DIALOGS + 2):
        reporter.dialog.accept()
        reporter.report(f"error {number}")
        qtbot.waitUntil(lambda n=number: len(saves) == 3 + n)
    assert reporter.shown == MAX_DIALOGS
    reporter.dialog.accept()
    reporter.dialog.deleteLater()


def test_a_previous_native_crash_is_mentioned_once(desktop_app, app_home: Path) -> None:
    crash_guard.native_crash_file().write_text("Fatal Python error: Segmentation fault\n")
    report = crash_guard.take_previous_native_crash()
    desktop_app.shell.note_previous_crash(report)
    banner = desktop_app.startup_banner
    assert banner.isVisibleTo(desktop_app.window)
    assert str(report) in banner.text and "closed unexpectedly" in banner.text
    banner.hide()
    desktop_app.shell.note_previous_crash(crash_guard.take_previous_native_crash())
    assert not banner.isVisibleTo(desktop_app.window)


def test_an_error_in_a_plain_thread_opens_the_dialog_on_the_gui_thread(
    qtbot, desktop_app, tmp_path: Path
) -> None:
    import threading

    reporter = desktop_app.shell.crash_reporter
    guard = crash_guard.CrashGuard(reporter.report, tmp_path / "fault.log").install()
    try:
        thread = threading.Thread(target=boom, name="stray")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert "thread stray" in reporter.dialog.details.toPlainText()
        assert reporter.dialog.thread() is desktop_app.window.thread()
        reporter.dialog.accept()
    finally:
        guard.uninstall()
