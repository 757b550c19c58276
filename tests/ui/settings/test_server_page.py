"""Settings → Server and the window's API banner: on, off, public, refused; key and URL copies."""

from __future__ import annotations

import socket
from typing import Any

import httpx
from PySide6.QtWidgets import QApplication

from desktop_chat import settings as settings_mod
from desktop_chat.server import request_log
from desktop_chat.ui.settings.server_page import ServerPage


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with(settings: settings_mod.Settings, **values: Any) -> settings_mod.Settings:
    for name, value in values.items():
        settings = settings_mod.with_value(settings, f"server.{name}", value)
    return settings


def test_generate_and_copy_the_key(qtbot: Any) -> None:
    page = ServerPage()
    qtbot.addWidget(page)
    page.generate_button.click()
    key = page.key_edit.text()
    assert key.startswith("dc-") and len(key) > 20
    page.copy_key_button.click()
    assert QApplication.clipboard().text() == key
    assert not page.copy_url_button.isEnabled()  # nothing runs: no URL to copy


def test_the_window_starts_and_stops_the_server(qtbot: Any, desktop_app: Any) -> None:
    app = desktop_app
    port = _free_port()
    app._on_settings_applied(_with(app.settings, enabled=True, port=port), [])
    assert app.api.running and app.api.url == f"http://127.0.0.1:{port}/v1"
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).json()["status"] == "ok"
    page = app.settings_pane.server
    assert app.api.url in page.status.text()
    assert app.api_banner.isHidden()  # loopback only: nothing to warn about
    page.copy_url_button.click()
    assert QApplication.clipboard().text() == app.api.url

    app._on_settings_applied(_with(app.settings, host="0.0.0.0", api_key="k" * 24), [])
    assert app.api.public
    assert not app.api_banner.isHidden()
    assert "other machines" in app.api_banner.text

    app._on_settings_applied(_with(app.settings, enabled=False), [])
    assert not app.api.running and app.api_banner.isHidden()


def test_a_public_host_without_a_key_is_refused_in_the_window(qtbot: Any, desktop_app: Any) -> None:
    app = desktop_app
    settings = _with(app.settings, enabled=True, host="0.0.0.0", port=_free_port())
    app._on_settings_applied(settings, [])
    assert not app.api.running
    assert "API key" in app.api_banner.text and not app.api_banner.isHidden()
    assert "API key" in app.settings_pane.server.status.text()


def test_the_request_log_view_shows_requests(qtbot: Any, ready_app: Any) -> None:
    import openai

    app = ready_app
    port = _free_port()
    app._on_settings_applied(_with(app.settings, enabled=True, port=port), [])
    client = openai.OpenAI(base_url=app.api.url, api_key="none", max_retries=0, timeout=120)
    client.chat.completions.create(
        model="", messages=[{"role": "user", "content": "Hi"}], max_tokens=4
    )
    assert request_log.recent()
    page = app.settings_pane.server
    page.refresh_button.click()
    assert page.log_table.rowCount() == 1
    assert page.log_table.item(0, 1).text() == "/v1/chat/completions"
    assert page.log_table.item(0, 2).text() == "200"


def test_the_windows_turn_waits_for_the_servers_requests(qtbot: Any, ready_app: Any) -> None:
    import threading

    import openai

    from tests.server.test_routes import _Blocker

    app = ready_app
    app._on_settings_applied(_with(app.settings, enabled=True, port=_free_port()), [])
    blocker = _Blocker()
    blocker.moveToThread(app.client._thread)
    blocker.hold.connect(blocker.wait)
    blocker.hold.emit()
    assert blocker.holding.wait(30)
    answers: list[Any] = []
    client = openai.OpenAI(base_url=app.api.url, api_key="none", max_retries=0, timeout=120)
    asking = threading.Thread(
        target=lambda: answers.append(
            client.chat.completions.create(
                model="", messages=[{"role": "user", "content": "Hi"}], max_tokens=4
            )
        )
    )
    try:
        asking.start()
        qtbot.waitUntil(lambda: app.api.serving == 1, timeout=60_000)
        assert "Serving 1 API request" in app.api_banner.text
        app.chat.send_text("Hello there")
        qtbot.waitUntil(lambda: "Waiting for the server" in app.api_banner.text, timeout=60_000)
    finally:
        blocker.release.set()
        asking.join(120)
        blocker.deleteLater()
    assert answers and answers[0].choices[0].message.content
    qtbot.waitUntil(lambda: not app.chat.controller.busy, timeout=120_000)
    qtbot.waitUntil(lambda: app.api_banner.isHidden(), timeout=60_000)
