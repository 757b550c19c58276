"""MCP servers over stdio and Streamable HTTP (the official SDK) on one thread with its own loop.

Each connected server is an asyncio task that holds the SDK's client open until ``close``;
calls from any thread are coroutines sent to that loop and waited on with the server's
timeout, so a hanging tool ends in a sentence, and Stop cancels the call in flight.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from typing import Any

from desktop_chat import paths
from desktop_chat.tools.config import ServerConfig
from desktop_chat.tools.specs import ToolCall, ToolOutcome, ToolSpec

log = logging.getLogger(__name__)

# Starting a server (an interpreter, npx) takes longer than a call may; its own timeout is for calls.
CONNECT_TIMEOUT_S = 30.0


class McpError(Exception):
    """A server that cannot be reached or used; str() is a sentence with a way forward."""


class _Connection:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.client: Any = None
        self.tools: list[Any] = []
        self.ready = asyncio.Event()
        self.stop = asyncio.Event()
        self.error: BaseException | None = None
        self.task: asyncio.Task[None] | None = None


class McpHub:
    """The MCP servers of a session. Thread-safe; ``close`` stops every server and the thread."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="mcp-client", daemon=True)
        self._connections: dict[str, _Connection] = {}
        self._closed = False
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()
        self._loop.close()

    def _submit(self, coro: Any) -> concurrent.futures.Future[Any]:
        if self._closed:
            coro.close()
            raise McpError("The tools were shut down.")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    # -- servers ---------------------------------------------------------------------------
    def connect(self, config: ServerConfig) -> list[ToolSpec]:
        """Start (or reach) a server and list its tools; raises McpError with a sentence."""
        future = self._submit(self._connect(config))
        try:
            return list(future.result(timeout=CONNECT_TIMEOUT_S + 5))
        except concurrent.futures.TimeoutError:
            future.cancel()
            self.disconnect(config.name)
            raise McpError(
                f"The MCP server {config.name} did not answer within "
                f"{CONNECT_TIMEOUT_S:.0f} s. Check its command or URL "
                "in Settings → Tools."
            ) from None

    async def _connect(self, config: ServerConfig) -> list[ToolSpec]:
        old = self._connections.pop(config.name, None)
        if old is not None:
            await self._stop(old)
        connection = _Connection(config)
        self._connections[config.name] = connection
        connection.task = asyncio.create_task(self._hold(connection))
        try:
            await asyncio.wait_for(connection.ready.wait(), timeout=CONNECT_TIMEOUT_S)
        except TimeoutError:
            await self._stop(connection)
            self._connections.pop(config.name, None)
            raise McpError(
                f"The MCP server {config.name} did not start within "
                f"{CONNECT_TIMEOUT_S:.0f} s. Check its command or URL "
                "in Settings → Tools."
            ) from None
        if connection.error is not None:
            self._connections.pop(config.name, None)
            raise McpError(_start_sentence(config, connection.error))
        return [
            ToolSpec(
                name=tool.name,
                description=tool.description or "",
                parameters=dict(tool.input_schema or {}),
                server=config.name,
            )
            for tool in connection.tools
        ]

    async def _hold(self, connection: _Connection) -> None:
        from mcp import Client

        config = connection.config
        errlog = None
        try:
            if config.url:
                target: Any = config.url
            else:
                from mcp.client.stdio import StdioServerParameters, stdio_client

                # The server's stderr goes to a file beside our log, not into our terminal.
                errlog = open(paths.logs_dir() / "mcp-servers.log", "a", encoding="utf-8")  # noqa: SIM115
                params = StdioServerParameters(
                    command=config.command, args=list(config.args), env=dict(config.env) or None
                )
                target = stdio_client(params, errlog=errlog)
            async with Client(target, read_timeout_seconds=config.timeout_s) as client:
                connection.client = client
                connection.tools = list((await client.list_tools()).tools)
                connection.ready.set()
                await connection.stop.wait()
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            log.warning("MCP server %s: %r", config.name, error)
            connection.error = error
        finally:
            connection.client = None
            connection.ready.set()
            if errlog is not None:
                errlog.close()

    async def _stop(self, connection: _Connection) -> None:
        connection.stop.set()
        if connection.task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(connection.task), timeout=5)
            except (TimeoutError, Exception):
                connection.task.cancel()
                with contextlib.suppress(BaseException):
                    await connection.task

    def disconnect(self, name: str) -> None:
        async def stop() -> None:
            connection = self._connections.pop(name, None)
            if connection is not None:
                await self._stop(connection)

        with contextlib.suppress(McpError, concurrent.futures.TimeoutError):
            self._submit(stop()).result(timeout=10)

    # -- calls -----------------------------------------------------------------------------
    def call(
        self,
        server: str,
        call: ToolCall,
        remote_name: str = "",
        cancel: threading.Event | None = None,
    ) -> ToolOutcome:
        """Run a tool; never raises for the tool's own faults (they are the outcome)."""
        connection = self._connections.get(server)
        outcome = ToolOutcome(call, server=server)
        started = time.monotonic()
        if connection is None or connection.client is None:
            outcome.status, outcome.error = (
                "error",
                f"The MCP server {server} is not running. Restart it in Settings → Tools.",
            )
            return outcome
        timeout = connection.config.timeout_s
        future = self._submit(self._call(connection, remote_name or call.name, call.arguments))
        try:
            while True:
                try:
                    result = future.result(timeout=0.1)
                    break
                except concurrent.futures.TimeoutError:
                    if cancel is not None and cancel.is_set():
                        future.cancel()
                        outcome.status, outcome.error = "cancelled", "The call was stopped."
                        return outcome
                    if time.monotonic() - started > timeout:
                        future.cancel()
                        outcome.status = "timeout"
                        outcome.error = (
                            f"The tool {call.name} did not answer within {timeout:.0f} s and was "
                            "given up; the answer goes on without it."
                        )
                        return outcome
        except concurrent.futures.CancelledError:
            outcome.status, outcome.error = "cancelled", "The call was stopped."
            return outcome
        except Exception as error:
            log.warning("MCP call %s on %s failed: %r", call.name, server, error)
            outcome.error = _call_sentence(server, call.name, error, timeout)
            outcome.status = "timeout" if "did not answer" in outcome.error else "error"
            return outcome
        finally:
            outcome.seconds = time.monotonic() - started
        text, is_error = result
        if is_error:
            outcome.status, outcome.error, outcome.result = (
                "error",
                text or "The tool failed.",
                text,
            )
        else:
            outcome.result = text
        return outcome

    async def _call(
        self, connection: _Connection, name: str, arguments: dict[str, Any]
    ) -> tuple[str, bool]:
        result = await connection.client.call_tool(name, arguments)
        parts: list[str] = []
        for item in result.content or []:
            text = getattr(item, "text", None)
            if text is not None:
                parts.append(text)
            else:
                parts.append(f"[{getattr(item, 'type', 'content')}]")
        if not parts and result.structured_content is not None:
            import json

            parts.append(json.dumps(result.structured_content, ensure_ascii=False))
        return "\n".join(parts), bool(result.is_error)

    # -- shutdown --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every server (their processes end) and the loop's thread; idempotent."""
        if self._closed:
            return

        async def stop_all() -> None:
            connections = list(self._connections.values())
            self._connections.clear()
            await asyncio.gather(*(self._stop(c) for c in connections), return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(stop_all(), self._loop).result(timeout=15)
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=15)


def _start_sentence(config: ServerConfig, error: BaseException) -> str:
    detail = _leaf(error)
    where = config.url or " ".join([config.command, *config.args])
    if isinstance(detail, FileNotFoundError | PermissionError):
        return (
            f"The MCP server {config.name} could not be started: {config.command!r} was not "
            "found or may not be run. Check the command in Settings → Tools."
        )
    return (
        f"The MCP server {config.name} ({where}) could not be used: {detail}. Check that it is "
        "running and that the command or URL is right; details are in the log."
    )


def _call_sentence(server: str, tool: str, error: BaseException, timeout: float) -> str:
    detail = _leaf(error)
    if isinstance(detail, TimeoutError) or "timed out" in str(detail).lower():
        return (
            f"The tool {tool} did not answer within {timeout:.0f} s; the answer goes on without it."
        )
    return f"The tool {tool} on {server} failed: {detail or type(detail).__name__}."


def _leaf(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error
