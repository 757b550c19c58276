"""The first-run welcome: shown on the first start only, again on request, with a model that fits."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from desktop_chat.models import catalog, fit
from desktop_chat.ui.shell import ui_state
from desktop_chat.ui.shell.welcome import recommended_model

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

GB = 1024**3


def test_shown_on_the_first_start_not_on_the_second(qtbot, qapp, desktop_app) -> None:
    from desktop_chat.app import DesktopChat

    dialog = desktop_app.shell.maybe_show_welcome()
    assert dialog is not None and dialog.isVisible()
    dialog.chat_button.click()
    assert not dialog.isVisible()
    assert desktop_app.window.stack.currentIndex() == 0
    desktop_app.window.close()
    desktop_app.shutdown()

    again = DesktopChat(qapp)
    qtbot.addWidget(again.window)
    try:
        assert again.shell.maybe_show_welcome() is None
        # Settings › Privacy and data brings it back.
        again.settings_pane.privacy.welcome_button.click()
        assert again.shell.welcome is not None and again.shell.welcome.isVisible()
        again.shell.welcome.reject()
    finally:
        again.window.close()
        again.shutdown()


def test_its_choices_lead_where_they_say(qtbot, desktop_app) -> None:
    app = desktop_app
    dialog = app.shell.show_welcome()
    asked: list[bool] = []
    app.models.choose_import_files = lambda: asked.append(True) or []
    dialog.import_button.click()
    assert asked and app.window.stack.currentWidget() is app.models
    dialog = app.shell.show_welcome()
    with qtbot.waitSignal(app.demo_opened, timeout=180_000):
        dialog.demo_button.click()  # the demo opens once its knowledge base is ready
    assert app.chat.profile is not None and app.chat.profile.id == "customer-service"
    assert app.window.stack.currentIndex() == 0


def test_the_text_says_private_and_names_the_starter_model(desktop_app) -> None:
    dialog = desktop_app.shell.show_welcome()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Everything stays on this computer" in texts
    assert "SmolLM2" in texts
    dialog.reject()


def test_the_recommendation_fits_the_machine() -> None:
    entries = catalog.load_catalog()
    small = recommended_model(entries, fit.MemoryBudget(ram_available=2 * GB))
    big = recommended_model(entries, fit.MemoryBudget(ram_available=64 * GB))
    assert small is not None and big is not None
    assert small.size_bytes < big.size_bytes
    assert (
        fit.fit_label(fit.estimate(small.size_bytes, 0), fit.MemoryBudget(2 * GB)) is fit.Fit.FITS
    )
    assert recommended_model(entries, fit.MemoryBudget(ram_available=100 * 1024**2)) is None
    chinese = recommended_model(entries, fit.MemoryBudget(ram_available=8 * GB), True)
    assert chinese is not None and chinese.good_at_chinese
    assert all(e.kind == "chat" for e in (small, big, chinese))


def test_a_corrupt_state_file_is_ignored(app_home) -> None:
    ui_state.state_file().write_text("{not json")
    assert ui_state.load() == {}
    assert not ui_state.welcome_shown()
    ui_state.set_welcome_shown(True)
    assert ui_state.welcome_shown()
