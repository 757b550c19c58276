"""UI fixtures: the real app (window, engine, settings) offscreen, with the starter model loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_chat import settings as settings_mod


@pytest.fixture
def desktop_app(qtbot, qapp) -> Iterator:
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    yield app
    app.window.close()
    app.shutdown()


@pytest.fixture
def ready_app(qtbot, desktop_app, smollm_path):
    desktop_app.settings = settings_mod.with_value(desktop_app.settings, "generation.seed", 3)
    with qtbot.waitSignal(desktop_app.client.model_loaded, timeout=180_000):
        desktop_app.load_model(smollm_path)
    return desktop_app
