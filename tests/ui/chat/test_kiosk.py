"""Kiosk view with the real model: what a customer sees, the idle reset, leaving it again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_chat import settings as settings_mod

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def ask(qtbot, app, text: str) -> None:
    app.settings = settings_mod.with_value(app.settings, "generation.max_tokens", 16)
    with qtbot.waitSignal(app.chat.turn_finished, timeout=180_000):
        app.chat.send_text(text)


def test_a_customer_sees_the_answer_without_editing_controls_or_statistics(qtbot, ready_app):
    chat = ready_app.chat
    ready_app.window.show()
    ready_app.window.set_kiosk(True)
    ask(qtbot, ready_app, "Hello!")
    answer = chat.transcript.views[-1]
    shown = [a for a in ("edit", "delete", "regenerate", "continue") if answer.action_button(a)]
    assert all(not answer.action_button(a).isVisible() for a in shown)
    qtbot.waitUntil(answer.isVisible)  # views of a re-rendered branch show on the next turn
    assert answer.copy_button.isVisible() and not answer.meta_label.isVisible()
    question = chat.transcript.views[0]
    assert question.action_button("edit") is None or not question.action_button("edit").isVisible()
    assert not chat.model_picker.isVisible() and not chat.status_label.isVisible()
    assert not chat.context_label.isVisible() and chat.new_chat_button.isVisible()
    assert chat.header.text() == chat.controller.profile.name  # not the chat's title
    ready_app.window.set_kiosk(False)
    assert answer.meta_label.isVisible() and answer.action_button("regenerate").isVisible()
    assert chat.header.text() == chat.controller.title()


def test_a_kiosk_chat_left_idle_starts_afresh(qtbot, ready_app):
    chat = ready_app.chat
    ready_app.window.set_kiosk(True)
    ask(qtbot, ready_app, "Hello!")
    assert chat.controller.branch
    chat.kiosk.idle_timer.setInterval(200)
    chat.kiosk.activity()
    qtbot.waitUntil(lambda: not chat.controller.branch, timeout=10_000)
    assert chat.transcript.views == []
    ready_app.window.set_kiosk(False)


def test_leaving_kiosk_gives_every_font_back(qtbot, ready_app):
    chat = ready_app.chat
    before = (chat.composer.height(), chat.composer.font().pointSize())
    ready_app.window.set_kiosk(True)
    QApplication.processEvents()
    assert chat.composer.font().pointSize() > before[1]
    conversations = chat.sidebar.list
    conversations._add_header("Today")  # the list refilled in kiosk view (a customer's chat)
    ready_app.window.set_kiosk(False)
    QApplication.processEvents()
    assert (chat.composer.height(), chat.composer.font().pointSize()) == before
    header = conversations.item(conversations.count() - 1)
    assert header.font().pointSizeF() == max(7.0, conversations.font().pointSizeF() - 1)


def test_leaving_kiosk_asks_for_the_shops_pin_when_one_is_set(qtbot, desktop_app):
    app = desktop_app
    app.settings = settings_mod.with_value(app.settings, "appearance.kiosk_pin", "4321")
    typed: list[str | None] = ["1234", None, "4321"]
    app.ask_kiosk_pin = lambda: typed.pop(0)
    app.window.set_kiosk(True)
    app.window.toggle_kiosk()  # a wrong PIN
    assert app.window.kiosk
    app.window.toggle_kiosk()  # cancelled
    assert app.window.kiosk
    app.window.toggle_kiosk()
    assert not app.window.kiosk and not app.chat.transcript.kiosk


def test_without_a_pin_kiosk_is_left_at_once(qtbot, desktop_app):
    desktop_app.ask_kiosk_pin = lambda: pytest.fail("no PIN is set, none may be asked")
    desktop_app.window.set_kiosk(True)
    desktop_app.window.toggle_kiosk()
    assert not desktop_app.window.kiosk


def test_a_customer_sees_the_shops_logo_name_and_greeting(qtbot, desktop_app, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from desktop_chat.chat.profiles import import_logo

    picture = tmp_path / "logo.png"
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(picture))
    profile = desktop_app.profiles.create(
        "Internal helper v2",
        shop_name="Lumen Lane",
        logo=import_logo(picture),
        greeting="Welcome! Ask me about lamps.",
    )
    chat = desktop_app.chat
    desktop_app.window.show()
    chat.set_profile(profile)
    desktop_app.window.set_kiosk(True)
    QApplication.processEvents()
    assert chat.header.text() == "Lumen Lane"  # not the profile's internal name
    welcome = chat.transcript._placeholder
    assert welcome.isVisible() and chat.transcript.logo.isVisible()
    shown = welcome.toPlainText()
    assert "Lumen Lane" in shown and "Welcome! Ask me about lamps." in shown
    assert "Internal helper" not in shown and "runs on" not in shown
    logo = chat.transcript.logo.pixmap()
    assert not logo.isNull() and max(logo.width(), logo.height()) <= 160
    assert not chat.attachments.button.isVisible()
    # Large and centred: the shop's name is a top-level heading in a centred column.
    blocks = {}
    block = welcome.document().begin()
    while block.isValid():
        blocks[block.text()] = block.blockFormat().headingLevel()
        block = block.next()
    assert blocks["Lumen Lane"] == 1 and blocks["Welcome! Ask me about lamps."] == 2
    centre = welcome.mapTo(chat.transcript, welcome.rect().center()).x()
    assert abs(centre - chat.transcript.viewport().width() / 2) < 40
    desktop_app.window.set_kiosk(False)
    QApplication.processEvents()
    assert chat.attachments.button.isVisible() and not chat.transcript.logo.isVisible()
    assert "Lumen Lane" not in welcome.toPlainText()
