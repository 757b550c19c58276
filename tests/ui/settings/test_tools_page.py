"""Settings → Tools: built-ins off by default, a real MCP server's tools listed and toggled,
an mcp.json imported, a server that will not start is a sentence."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_chat.tools import config
from desktop_chat.ui.settings.tools_page import ToolsPage

SERVER = Path(__file__).resolve().parents[2] / "fixtures" / "mcp_server.py"


def _page(qtbot) -> ToolsPage:
    page = ToolsPage()
    qtbot.addWidget(page)
    return page


def test_builtins_are_off_and_saved_when_ticked(qtbot, app_home) -> None:
    page = _page(qtbot)
    assert not any(box.isChecked() for box in page.builtin_boxes.values())
    page.builtin_boxes["calculator"].setChecked(True)
    assert config.load().builtins == ["calculator"]
    page.shutdown()


def test_a_server_lists_its_tools_and_one_is_turned_off(qtbot, app_home) -> None:
    page = _page(qtbot)
    page.name_edit.setText("test")
    page.command_edit.setText(f"{sys.executable} {SERVER}")
    page.timeout.setValue(12)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.tools_list.count() == 5, timeout=60_000)
    assert page.check_button.isEnabled()
    item = page.tools_list.findItems("hang", Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Unchecked)
    [saved] = config.load().servers
    assert (saved.command, saved.args, saved.timeout_s) == (sys.executable, [str(SERVER)], 12)
    assert saved.disabled_tools == ["hang"]
    page.shutdown()


def test_import_mcp_json_and_a_server_that_will_not_start(qtbot, app_home, tmp_path) -> None:
    page = _page(qtbot)
    file = tmp_path / "mcp.json"
    file.write_text(
        json.dumps({"mcpServers": {"nowhere": {"command": "/no/such/server", "args": ["-x"]}}}),
        encoding="utf-8",
    )
    assert page.import_file(file) == ["nowhere"]
    assert page.list.currentItem().text() == "nowhere"
    assert page.command_edit.text() == "/no/such/server -x"
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.check_button.isEnabled(), timeout=60_000)
    assert "could not be started" in page.status.text()
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    assert page.import_file(broken) == []
    assert "mcpServers" in page.status.text()
    page.shutdown()
