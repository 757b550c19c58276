"""The window's layout holds: nothing clipped at 800x600 in either language, it never grows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QSpinBox

from desktop_chat import settings as settings_mod
from desktop_chat.ui.shell import theme
from desktop_chat.ui.shell.i18n import remove_translators
from tests.ui.shell.layout_probe import clipped_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

LONG_TITLE = "A conversation about refunds, delivery times and the warranty of the blue kettle"


@pytest.fixture
def window_app(qtbot, qapp, request) -> Iterator:
    """The app in a language, or in a (language, theme) pair."""
    param = getattr(request, "param", "en")
    language, theme_name = (param, "light") if isinstance(param, str) else param
    settings = settings_mod.with_value(settings_mod.Settings(), "app.language", language)
    settings_mod.save(settings_mod.with_value(settings, "appearance.theme", theme_name))
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        for number in range(3):
            conversation = app.store.create_conversation(f"{LONG_TITLE} {number}")
            app.store.add_message(conversation.id, "user", "How long do refunds take?")
        app.chat.sidebar.refresh()
        yield app
    finally:
        app.window.close()
        app.shutdown()
        remove_translators(qapp)
        theme.apply(qapp, "light")  # the style sheet is the QApplication's, shared by tests


def show_at(qtbot, app, width: int, height: int) -> None:
    app.window.resize(width, height)
    app.window.show()
    qtbot.waitExposed(app.window)
    QApplication.processEvents()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.parametrize("window_app", ["en", "zh_CN"], indirect=True)
def test_at_800_by_600_every_pane_shows_its_text_whole(qtbot, window_app):
    app = window_app
    show_at(qtbot, app, 800, 600)
    problems = []
    for index in range(len(app.window.nav_buttons)):
        app.window.show_pane(index)
        settle()
        problems += [f"pane {index}: {p}" for p in clipped_texts(app.window)]
        assert app.window.width() == 800, f"pane {index} widened the window"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "window_app",
    [("en", "light"), ("en", "dark"), ("zh_CN", "light"), ("zh_CN", "dark")],
    indirect=True,
)
def test_at_800_by_600_every_settings_page_shows_its_choices_whole(qtbot, window_app):
    # GPU layers showed "…as many as fit in free VRAM)": a spin box at its special value
    # scrolls that text to its end when the field is narrower, so its start was lost.
    app = window_app
    show_at(qtbot, app, 800, 600)
    app.window.show_settings()
    pane = app.settings_pane
    problems = []
    for row, name in enumerate(pane.pages):
        pane.nav.setCurrentRow(row)
        scroll = pane.stack.currentWidget()
        qtbot.waitUntil(scroll.isVisible)
        settle()
        problems += [f"{name}: {p}" for p in clipped_texts(scroll.widget())]
    assert app.window.width() == 800
    assert not problems, "\n".join(problems)


def test_the_probe_finds_a_spin_box_whose_special_text_is_cut(qtbot):
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.setRange(-1, 999)
    spin.setSpecialValueText("Auto (as many as fit in free VRAM)")
    spin.setValue(-1)
    spin.setFixedWidth(120)
    spin.show()
    qtbot.waitExposed(spin)
    assert [p for p in clipped_texts(spin) if "free VRAM" in p]
    spin.setFixedWidth(spin.minimumSizeHint().width() + 20)
    settle()
    assert clipped_texts(spin) == []
    spin.setValue(7)  # a number fits the narrow field
    spin.setFixedWidth(120)
    settle()
    assert clipped_texts(spin) == []


def test_a_narrow_chat_puts_its_conversations_behind_a_toggle(qtbot, window_app):
    app = window_app
    show_at(qtbot, app, 800, 600)
    chat = app.chat
    assert chat.narrow and not chat.sidebar.isVisible()
    toggle = chat.header_row.sidebar_button
    assert toggle.isVisible() and toggle.accessibleName()
    toggle.click()
    assert chat.sidebar.isVisible()
    assert app.window.width() == 800
    toggle.click()
    assert not chat.sidebar.isVisible()
    app.window.resize(1366, 860)
    settle()
    assert not chat.narrow and chat.sidebar.isVisible() and not toggle.isVisible()
    assert chat.sidebar.width() <= 320


def test_deleting_undoing_searching_and_switching_never_widen_the_window(qtbot, window_app):
    app = window_app
    show_at(qtbot, app, 1366, 860)
    width = app.window.width()
    sidebar = app.chat.sidebar
    first = app.store.list_conversations()[0].id
    sidebar.delete(first)
    settle()
    assert sidebar.undo_strip.isVisible()
    assert app.window.width() == width and sidebar.width() <= 320
    sidebar.undo_delete()
    settle()
    assert app.window.width() == width
    sidebar.open_search()
    sidebar.search_dialog.reject()
    for index in [*range(len(app.window.nav_buttons)), 0]:
        app.window.show_pane(index)
        settle()
        assert app.window.width() == width
    app.chat.open_conversation(first)
    settle()
    assert app.chat.header.text().startswith(LONG_TITLE)
    assert app.window.width() == width


def test_a_long_title_is_cut_with_an_ellipsis_and_whole_in_its_tooltip(qtbot, window_app):
    app = window_app
    show_at(qtbot, app, 1000, 700)
    app.chat.open_conversation(app.store.list_conversations()[0].id)
    settle()
    title = app.chat.header
    assert title.elided and title.shown_text().endswith("…")
    assert LONG_TITLE in title.toolTip() and title.accessibleName().startswith(LONG_TITLE)


def test_icon_buttons_have_names_and_messages_say_who_speaks(qtbot, window_app):
    app = window_app
    show_at(qtbot, app, 800, 600)
    app.chat.open_conversation(app.store.list_conversations()[0].id)
    settle()
    nameless = []
    for index in range(len(app.window.nav_buttons)):
        app.window.show_pane(index)
        settle()
        for button in app.window.findChildren(QAbstractButton):
            text = button.text().replace("&", "")
            iconic = not any(ch.isalnum() for ch in text)
            if button.isVisible() and iconic and not button.accessibleName():
                nameless.append(f"pane {index}: {type(button).__name__} {text!r}")
    assert not nameless, nameless
    app.window.show_chat()
    settle()
    question = app.chat.transcript.views[0]
    assert question.accessibleName() == "You"
    assert question.accessibleDescription() == "How long do refunds take?"
    for widget in (app.chat.composer, app.chat.send_button, app.chat.model_picker):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
