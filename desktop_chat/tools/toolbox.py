"""The tools of a turn: the enabled built-ins and MCP tools under unique names, run by name."""

from __future__ import annotations

import logging
import threading
import time

from desktop_chat.tools import builtin
from desktop_chat.tools.config import ToolsConfig
from desktop_chat.tools.mcp_client import McpError, McpHub
from desktop_chat.tools.specs import BUILTIN, ToolCall, ToolOutcome, ToolSpec

log = logging.getLogger(__name__)


class Toolbox:
    """Starts the enabled servers, lists their enabled tools; ``close`` stops them."""

    def __init__(self, config: ToolsConfig, default_kb: str = "") -> None:
        self.config = config
        self.default_kb = default_kb
        self.specs: dict[str, ToolSpec] = {}
        self.problems: list[str] = []  # a sentence per server that could not be used
        self._hub: McpHub | None = None
        for name in config.builtins:
            if name in builtin.SPECS:
                self.specs[name] = builtin.SPECS[name]

    def start(self) -> None:
        """Connect every enabled server (blocking; run it off the GUI thread)."""
        servers = [s for s in self.config.servers if s.enabled]
        if not servers:
            return
        self._hub = McpHub()
        for server in servers:
            try:
                tools = self._hub.connect(server)
            except McpError as error:
                self.problems.append(str(error))
                continue
            for spec in tools:
                if not server.tool_enabled(spec.name):
                    continue
                name = spec.name
                if name in self.specs:  # two servers with the same tool name
                    name = f"{server.name}__{spec.name}"
                self.specs[name] = ToolSpec(
                    name, spec.description, spec.parameters, server.name, spec.name
                )

    def trusted(self, name: str) -> bool:
        spec = self.specs.get(name)
        if spec is None:
            return False
        if spec.server == BUILTIN:
            return name in self.config.trusted_builtins
        server = self.config.server(spec.server)
        return server is not None and (spec.remote_name or name) in server.trusted_tools

    def trust(self, name: str) -> None:
        """ "Always for this tool": remembered in the config (the caller saves it)."""
        spec = self.specs.get(name)
        if spec is None:
            return
        if spec.server == BUILTIN:
            if name not in self.config.trusted_builtins:
                self.config.trusted_builtins.append(name)
            return
        server = self.config.server(spec.server)
        if server is not None and (spec.remote_name or name) not in server.trusted_tools:
            server.trusted_tools.append(spec.remote_name or name)

    def run(self, call: ToolCall, cancel: threading.Event | None = None) -> ToolOutcome:
        """Run one call to its end, timeout, failure or Stop; never raises."""
        spec = self.specs.get(call.name)
        if spec is None:
            known = ", ".join(sorted(self.specs)) or "none"
            return ToolOutcome(
                call,
                status="error",
                error=f"There is no tool named {call.name!r} (tools: {known}).",
            )
        if spec.server != BUILTIN:
            if self._hub is None:
                return ToolOutcome(call, status="error", error="The MCP servers are not running.")
            return self._hub.call(spec.server, call, spec.remote_name, cancel)
        started = time.monotonic()
        outcome = ToolOutcome(call)
        try:
            outcome.result = builtin.run(call.name, call.arguments, self.default_kb)
        except builtin.BuiltinError as error:
            outcome.status, outcome.error = "error", str(error)
        except Exception as error:
            log.exception("built-in tool %s failed", call.name)
            outcome.status, outcome.error = "error", f"The tool {call.name} failed: {error}."
        outcome.seconds = time.monotonic() - started
        return outcome

    def close(self) -> None:
        if self._hub is not None:
            hub, self._hub = self._hub, None
            hub.close()
