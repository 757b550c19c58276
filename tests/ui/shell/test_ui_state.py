"""The window remembers its geometry, splitters and pane across a restart; a bad file is ignored."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSplitter

from desktop_chat.ui.shell import ui_state

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def build(qtbot, qapp):  # type: ignore[no-untyped-def]
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    return app


def close(app) -> None:  # type: ignore[no-untyped-def]
    app.window.close()
    app.shutdown()


def test_geometry_splitters_and_pane_survive_a_restart(qtbot, qapp) -> None:
    first = build(qtbot, qapp)
    try:
        first.window.show()
        # Inside the offscreen screen: restoreGeometry keeps a window on its screen.
        screen = qapp.primaryScreen().availableGeometry()
        width = min(screen.width() - 2, max(first.window.minimumSizeHint().width() + 1, 600))
        height = min(screen.height() - 100, 560)
        first.window.setGeometry(1, 30, width, height)
        qtbot.waitUntil(lambda: first.window.size().toTuple() == (width, height))
        splitter = first.window.findChildren(QSplitter)[0]
        total = sum(splitter.sizes())
        splitter.setSizes([total // 3, total - total // 3])
        sizes = splitter.sizes()
        first.window.show_pane(2)
        geometry = first.window.geometry()
    finally:
        close(first)

    second = build(qtbot, qapp)
    try:
        second.window.restore_ui_state()
        second.window.show()
        qtbot.waitUntil(lambda: second.window.size() == geometry.size())
        assert second.window.geometry().size() == geometry.size()
        assert second.window.stack.currentIndex() == 2
        assert second.window.nav_buttons[2].isChecked()
        assert second.window.findChildren(QSplitter)[0].sizes() == sizes
    finally:
        close(second)


@pytest.mark.parametrize(
    "content",
    [
        b"{broken",
        b"[1, 2]",
        b'{"geometry": "%%%not base64", "pane": "x", "splitters": 3}',
        b'{"pane": 99}',
        b"\xff\xfe",
    ],
)
def test_a_corrupt_state_file_is_ignored(qtbot, qapp, content: bytes) -> None:
    ui_state.state_file().write_bytes(content)
    app = build(qtbot, qapp)
    try:
        app.window.restore_ui_state()
        assert app.window.stack.currentIndex() == 0
    finally:
        close(app)
    assert isinstance(ui_state.load(), dict)  # rewritten whole at close
