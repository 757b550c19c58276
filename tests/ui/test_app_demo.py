"""The customer-service demo's first run: its knowledge base is embedded off the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer

from desktop_chat import settings as settings_mod
from desktop_chat.kb import library
from desktop_chat.kb.records import KbError


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_window_keeps_running_while_the_demo_is_indexed_and_it_ends_up_grounded(
    qtbot, ready_app, monkeypatch
):
    real_ensure = library.ensure_demo_kb
    gate = threading.Event()
    seen: dict[str, object] = {}

    def gated_ensure() -> str:
        seen["thread"] = threading.current_thread()
        # Opened by the GUI thread's timer: on a blocked GUI thread it never would be.
        seen["gate_opened"] = gate.wait(60)
        return real_ensure()

    monkeypatch.setattr(library, "ensure_demo_kb", gated_ensure)
    ticks: list[bool] = []

    def tick() -> None:
        ticks.append(ready_app.demo.preparing)
        if len(ticks) >= 3:
            gate.set()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    try:
        with qtbot.waitSignal(ready_app.demo_opened, timeout=180_000):
            ready_app.start_demo()
            assert "Preparing the demo" in ready_app.chat.banner.text
            assert not ready_app.demo_button.isEnabled()
            ready_app.start_demo()  # a second click while it runs starts nothing more
    finally:
        timer.stop()
    assert seen["thread"] is not threading.main_thread()
    assert seen["gate_opened"] is True
    assert ticks[:3] == [True, True, True]  # the timer ticked while it was being prepared
    assert ready_app.demo_button.isEnabled()
    banner = ready_app.chat.banner
    assert banner.isHidden() or "Preparing the demo" not in banner.text
    chat = ready_app.chat
    assert chat.profile is not None and chat.profile.id == "customer-service"
    assert "shop-demo" in ready_app.knowledge.names()
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("How long do refunds take?")
    assert chat.messages[-1].citations, "the demo's answer is grounded in its knowledge base"


def test_a_demo_that_cannot_be_set_up_says_so_and_can_be_tried_again(
    qtbot, desktop_app, monkeypatch
):
    def failing_ensure() -> str:
        raise KbError("The disk is full.")

    monkeypatch.setattr(library, "ensure_demo_kb", failing_ensure)
    before = desktop_app.chat.profile
    with qtbot.waitSignal(desktop_app.demo.failed, timeout=60_000):
        desktop_app.start_demo()
    banner = desktop_app.chat.banner
    assert banner.text == "The demo could not be set up: The disk is full."
    assert not banner.isHidden()
    assert desktop_app.demo_button.isEnabled() and not desktop_app.demo.preparing
    assert desktop_app.chat.profile == before  # nothing of the demo was put in force


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_deleting_all_data_while_the_demo_is_prepared_drops_it(qtbot, ready_app, monkeypatch):
    real_ensure = library.ensure_demo_kb
    entered = threading.Event()

    def slow_ensure() -> str:
        entered.set()
        return real_ensure()

    monkeypatch.setattr(library, "ensure_demo_kb", slow_ensure)
    opened: list[bool] = []
    ready_app.demo_opened.connect(lambda: opened.append(True))
    ready_app.start_demo()
    assert entered.wait(60)
    with qtbot.waitSignal(ready_app.client.model_loaded, timeout=180_000):
        ready_app.delete_all_data()  # waits for the demo's writes before deleting
    qtbot.waitUntil(lambda: not ready_app.demo.runner.busy(), timeout=60_000)
    assert opened == [] and not ready_app.demo.preparing
    assert ready_app.demo_button.isEnabled()
    assert "deleted" in ready_app.settings_pane.banner.text
