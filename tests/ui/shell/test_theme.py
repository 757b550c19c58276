"""Both themes: every text of every pane stands out from its background (4.5:1 or more)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionToolButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.ui.shell import theme
from tests.ui.shell.contrast_probe import MIN_CONTRAST, contrast, low_contrast

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

ANSWER = "Refunds take **five days** [1].\n\n```python\nprint('refund')\n```\n\n> Keep the receipt."


@pytest.fixture
def themed_app(qtbot, qapp, request) -> Iterator:
    settings = settings_mod.with_value(settings_mod.Settings(), "appearance.theme", request.param)
    settings_mod.save(settings)
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    try:
        conversation = app.store.create_conversation("Refunds")
        question = app.store.add_message(conversation.id, "user", "How long do refunds take?")
        app.store.add_message(conversation.id, "assistant", ANSWER, parent_id=question.id)
        app.chat.sidebar.refresh()
        app.chat.open_conversation(conversation.id)
        app.window.resize(1366, 860)
        app.window.show()
        qtbot.waitExposed(app.window)
        yield app
    finally:
        app.window.close()
        app.shutdown()
        theme.apply(qapp, "light")


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def every_view(app) -> Iterator[str]:
    """Show each pane, each tab of a pane and each Settings page in turn."""
    window = app.window
    for index, button in enumerate(window.nav_buttons):
        window.show_pane(index)
        settle()
        yield button.text()
        for tabs in window.stack.currentWidget().findChildren(QTabWidget):
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                settle()
                yield f"{button.text()} › {tabs.tabText(tab)}"
    nav = app.settings_pane.nav
    window.show_settings()
    for row in range(nav.count()):
        nav.setCurrentRow(row)
        settle()
        yield f"Settings › {nav.item(row).text()}"


@pytest.mark.parametrize("themed_app", ["light", "dark"], indirect=True)
def test_every_text_of_every_pane_has_enough_contrast(qtbot, themed_app):
    problems = []
    for view in every_view(themed_app):
        problems += [f"{view}: {p}" for p in low_contrast(themed_app.window)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_palettes_own_pairs_are_readable(name):
    p = theme.PALETTES[name]
    for text, ground in [
        ("text", "bg"),
        ("text", "side"),
        ("text", "input"),
        ("text", "user"),
        ("text", "selected"),
        ("muted", "bg"),
        ("muted", "side"),
        ("muted", "input"),
        ("accent", "bg"),
        ("accent_text", "accent"),
        ("error_text", "error_bg"),
        ("info_text", "info_bg"),
    ]:
        ratio = contrast(QColor(p[text]), QColor(p[ground]))
        assert ratio >= MIN_CONTRAST, f"{name}: {text} on {ground} is {ratio:.2f}:1"


@pytest.mark.parametrize("themed_app", ["dark"], indirect=True)
def test_a_combo_box_popup_is_dark_in_the_dark_theme(themed_app):
    # The popup's list as the style sheet leaves it (opening it needs a window manager).
    view = themed_app.profile_picker.view()
    view.ensurePolished()
    colours = view.palette()
    ground, text = colours.color(QPalette.ColorRole.Base), colours.color(QPalette.ColorRole.Text)
    assert ground.lightness() < 80
    assert contrast(ground, text) >= MIN_CONTRAST


@pytest.mark.parametrize("themed_app", ["light", "dark"], indirect=True)
def test_the_copy_buttons_menu_arrow_is_an_arrow_not_a_box(themed_app):
    """The Copy ▾ part of a message's Copy button: no frame drawn round its arrow."""
    [_question, answer] = themed_app.chat.transcript.views
    button = answer.copy_button
    assert button.isVisible()
    option = QStyleOptionToolButton()
    button.initStyleOption(option)
    arrow = button.style().subControlRect(
        QStyle.ComplexControl.CC_ToolButton, option, QStyle.SubControl.SC_ToolButtonMenu, button
    )
    assert arrow.width() >= 8
    # Grabbed from the card, so that the card's background is under the transparent button.
    card = button.parentWidget()
    image = card.grab(button.geometry()).toImage()
    scale = image.width() / button.width()
    # Its right, top and bottom edges (the label's last letter may reach into its left one).
    inside = arrow.adjusted(3, 1, -1, -1)
    edge = [
        image.pixelColor(int(x * scale), int(y * scale)).name()
        for x in range(inside.left(), inside.right() + 1)
        for y in (inside.top(), inside.bottom())
    ] + [
        image.pixelColor(int(inside.right() * scale), int(y * scale)).name()
        for y in range(inside.top(), inside.bottom() + 1)
    ]
    # The box's border ran all round the arrow; now its edges are the card's own colour.
    assert len(set(edge)) == 1, sorted(set(edge))
    drawn = {
        image.pixelColor(int(x * scale), int(y * scale)).name()
        for x in range(arrow.left(), arrow.right() + 1)
        for y in range(arrow.top(), arrow.bottom() + 1)
    }
    assert len(drawn) > 1  # and an arrow is drawn in it


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_check_box_shows_its_box_ticked_or_not(qtbot, qapp, name):
    theme.apply(qapp, name)
    try:
        page = QWidget()
        page.setObjectName("chatPane")  # a themed background under the boxes
        qtbot.addWidget(page)
        column = QVBoxLayout(page)
        boxes = [QCheckBox("Calculator"), QCheckBox("Date and time")]
        boxes[1].setChecked(True)
        for box in boxes:
            column.addWidget(box)
        page.show()
        qtbot.waitExposed(page)
        ground = QColor(theme.PALETTES[name]["bg"])
        drawn = []
        for box in boxes:
            option = QStyleOptionButton()
            box.initStyleOption(option)
            square = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
            image = page.grab(box.geometry()).toImage()
            scale = image.width() / box.width()
            drawn.append(
                max(
                    contrast(image.pixelColor(int(x * scale), int(y * scale)), ground)
                    for x in range(square.left(), square.right() + 1)
                    for y in range(square.top(), square.bottom() + 1)
                )
            )
        # An unticked box was the input colour on the page's: invisible. WCAG asks 3:1 of a
        # control's outline.
        assert min(drawn) >= 3, drawn
    finally:
        theme.apply(qapp, "light")
