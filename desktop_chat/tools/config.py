"""tools.json: the MCP servers, which tools are on or trusted, the built-ins; mcp.json import."""

from __future__ import annotations

import json
import logging
import shlex
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop_chat import fsutil, paths

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 30.0
FILE_NAME = "tools.json"


class ToolsConfigError(ValueError):
    """A servers file that cannot be used; str() is a sentence naming the problem."""


@dataclass
class ServerConfig:
    """One MCP server: a stdio command or a Streamable HTTP URL."""

    name: str
    command: str = ""
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    enabled: bool = True
    disabled_tools: list[str] = field(default_factory=list)
    trusted_tools: list[str] = field(default_factory=list)

    @property
    def transport(self) -> str:
        return "http" if self.url else "stdio"

    def tool_enabled(self, tool: str) -> bool:
        return tool not in self.disabled_tools


@dataclass
class ToolsConfig:
    servers: list[ServerConfig] = field(default_factory=list)
    builtins: list[str] = field(default_factory=list)  # enabled built-in tools: off by default
    trusted_builtins: list[str] = field(default_factory=list)
    max_calls_per_turn: int = 8

    def server(self, name: str) -> ServerConfig | None:
        return next((s for s in self.servers if s.name == name), None)


def config_file() -> Path:
    return paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> ToolsConfig:
    """The saved tools; an unreadable file is moved aside (and logged), never lost."""
    path = path or config_file()
    if not path.exists():
        return ToolsConfig()
    try:
        data = fsutil.load_json_bounded(path.read_bytes(), max_bytes=4 * 1024 * 1024)
        return from_dict(data)
    except (OSError, ValueError) as error:
        aside = fsutil.move_aside(path)
        log.warning("tools.json unreadable (%s); moved to %s", error, aside)
        return ToolsConfig()


def save(config: ToolsConfig, path: Path | None = None) -> None:
    path = path or config_file()
    fsutil.atomic_write_text(path, json.dumps(asdict(config), indent=2, ensure_ascii=False) + "\n")


def from_dict(data: object) -> ToolsConfig:
    if not isinstance(data, dict):
        raise ToolsConfigError("The tools file is not a JSON object.")
    servers = [_server(item) for item in data.get("servers", []) if isinstance(item, dict)]
    return ToolsConfig(
        servers=[s for s in servers if s is not None],
        builtins=[str(x) for x in data.get("builtins", []) if isinstance(x, str)],
        trusted_builtins=[str(x) for x in data.get("trusted_builtins", []) if isinstance(x, str)],
        max_calls_per_turn=max(1, min(64, int(data.get("max_calls_per_turn", 8) or 8))),
    )


def _server(item: dict[str, Any]) -> ServerConfig | None:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        timeout = float(item.get("timeout_s", DEFAULT_TIMEOUT_S))
    except (TypeError, ValueError):
        timeout = DEFAULT_TIMEOUT_S
    return ServerConfig(
        name=name.strip(),
        command=str(item.get("command") or ""),
        args=[str(a) for a in item.get("args") or [] if isinstance(a, str | int | float)],
        env={str(k): str(v) for k, v in (item.get("env") or {}).items()},
        url=str(item.get("url") or item.get("serverUrl") or ""),
        timeout_s=max(1.0, min(3600.0, timeout)),
        enabled=bool(item.get("enabled", True)),
        disabled_tools=[str(x) for x in item.get("disabled_tools") or []],
        trusted_tools=[str(x) for x in item.get("trusted_tools") or []],
    )


def parse_mcp_json(text: str) -> list[ServerConfig]:
    """Servers of an mcp.json as Claude Desktop and LM Studio write it:
    ``{"mcpServers": {name: {command, args, env} | {url}}}``. Raises ToolsConfigError."""
    try:
        data = fsutil.load_json_bounded(text, max_bytes=4 * 1024 * 1024)
    except ValueError as error:
        raise ToolsConfigError(f"The file is not valid JSON ({error}).") from None
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        raise ToolsConfigError('The file has no "mcpServers" object; it is not an mcp.json.')
    found: list[ServerConfig] = []
    for name, item in servers.items():
        if not isinstance(item, dict):
            continue
        server = _server({**item, "name": name})
        if server is not None and (server.command or server.url):
            found.append(server)
    if not found:
        raise ToolsConfigError("The mcp.json names no server with a command or a URL.")
    return found


def import_mcp_json(config: ToolsConfig, text: str) -> list[str]:
    """Add (or replace by name) the servers of an mcp.json; returns their names."""
    added = parse_mcp_json(text)
    names = {s.name for s in added}
    config.servers = [s for s in config.servers if s.name not in names] + added
    return [s.name for s in added]


def server_from_command(command_line: str, index: int = 1) -> ServerConfig:
    """``--mcp "COMMAND ARGS"`` or ``--mcp URL``: a server for one headless run."""
    text = command_line.strip()
    if text.startswith(("http://", "https://")):
        return ServerConfig(name=f"mcp{index}", url=text)
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise ToolsConfigError(f"The --mcp command cannot be read ({error}).") from None
    if not words:
        raise ToolsConfigError("The --mcp command is empty.")
    return ServerConfig(name=f"mcp{index}", command=words[0], args=words[1:])
