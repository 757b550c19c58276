"""tools.json and the import of an mcp.json (Claude Desktop / LM Studio format)."""

from __future__ import annotations

import json

import pytest

from desktop_chat.tools import config

MCP_JSON = {
    "mcpServers": {
        "files": {"command": "npx", "args": ["-y", "@mcp/files", "/tmp"], "env": {"A": "1"}},
        "web": {"url": "http://127.0.0.1:9000/mcp"},
        "broken": "not an object",
    }
}


def test_import_and_round_trip(app_home):
    saved = config.ToolsConfig(builtins=["calculator"])
    assert config.import_mcp_json(saved, json.dumps(MCP_JSON)) == ["files", "web"]
    files, web = saved.servers
    assert (files.command, files.args, files.env, files.transport) == (
        "npx", ["-y", "@mcp/files", "/tmp"], {"A": "1"}, "stdio",
    )  # fmt: skip
    assert (web.url, web.transport) == ("http://127.0.0.1:9000/mcp", "http")
    config.save(saved)
    again = config.load()
    assert again == saved
    config.import_mcp_json(again, json.dumps({"mcpServers": {"web": {"url": "http://x/mcp"}}}))
    assert [s.name for s in again.servers] == ["files", "web"] and again.servers[
        1
    ].url == "http://x/mcp"


@pytest.mark.parametrize(
    "text", ["not json", "[]", '{"servers": {}}', '{"mcpServers": {"a": {"args": []}}}']
)
def test_a_bad_mcp_json_is_a_sentence(text):
    with pytest.raises(config.ToolsConfigError) as error:
        config.parse_mcp_json(text)
    assert str(error.value).endswith(".")


def test_an_unreadable_tools_file_is_moved_aside_not_lost(app_home):
    path = config.config_file()
    path.write_text("{broken", encoding="utf-8")
    assert config.load() == config.ToolsConfig()
    assert [p.name.startswith("tools.json.corrupt") for p in path.parent.iterdir()] == [True]


def test_builtins_are_off_by_default(app_home):
    assert config.load().builtins == []


def test_mcp_flag_forms():
    assert config.server_from_command("http://127.0.0.1:1/mcp").url == "http://127.0.0.1:1/mcp"
    server = config.server_from_command("python 'my server.py' --x", 2)
    assert (server.name, server.command, server.args) == ("mcp2", "python", ["my server.py", "--x"])
    with pytest.raises(config.ToolsConfigError):
        config.server_from_command("  ")
