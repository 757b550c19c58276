"""Settings → Engines in the real window (offscreen): add an endpoint, test it against a real
HTTP server, use one of its models in the chat, which then shows its Remote badge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from desktop_chat.engine import endpoints
from tests.fakes import remote_servers


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


def test_add_test_and_use_a_remote_model(qtbot, desktop_app, fake_url: str) -> None:
    page = desktop_app.settings_pane.engines
    assert "engines" in desktop_app.settings_pane.pages
    page.new_endpoint()
    page.name_edit.setText("fake")
    page.preset_box.setCurrentIndex(page.preset_box.findData(endpoints.Preset.VLLM.value))
    assert page.url_edit.text() == endpoints.PRESET_URLS[endpoints.Preset.VLLM]  # preset fills it
    page.url_edit.setText(fake_url)
    page.key_storage.setCurrentIndex(page.key_storage.findData("session"))
    page.key_edit.setText("secret")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.models.count() > 0, timeout=30_000)
    assert "Connected: 8 model(s)." in page.status.text()
    assert "3072" in page.status.text()  # the server's context size
    saved = endpoints.get("fake")
    assert saved is not None and saved.base_url == fake_url
    assert endpoints.get_key("fake") == "secret"
    assert "secret" not in endpoints.endpoints_file().read_text()

    page.models.setCurrentRow([page.models.item(i).text() for i in range(8)].index("auth"))
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    chat = desktop_app.chat
    badge = chat.header_row.remote_badge
    assert not badge.isHidden() and badge.text() == "Remote · fake"
    assert chat.send_button.isEnabled()  # no local model is loaded, the remote one answers
    with qtbot.waitSignal(chat.turn_finished, timeout=30_000):
        chat.send_text("Hello?")
    assert chat.messages[-1].content == "Hello there"
    assert chat.messages[-1].model == "remote:fake/auth"

    chat.controller.use_remote(None)
    assert badge.isHidden()


def test_a_bad_address_is_a_sentence_on_the_page(qtbot, desktop_app) -> None:
    page = desktop_app.settings_pane.engines
    page.new_endpoint()
    page.name_edit.setText("bad")
    page.url_edit.setText("ftp://example/v1")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "not an http:// or https:// address" in page.status.text()
    assert endpoints.load() == []


def test_test_connection_to_nothing_is_a_sentence(qtbot, desktop_app) -> None:
    page = desktop_app.settings_pane.engines
    page.new_endpoint()
    page.name_edit.setText("gone")
    page.url_edit.setText(f"http://127.0.0.1:{remote_servers.free_port()}/v1")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=30_000)
    assert "Nothing answers at" in page.status.text()
