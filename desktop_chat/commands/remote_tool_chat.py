"""`desktop-chat chat --endpoint URL --model NAME` with tools: the same approval loop as a local
tool turn, each round streamed from the remote engine (tools sent as the API's ``tools``)."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import threading
from pathlib import Path
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands import chat_tools
from desktop_chat.commands.remote_chat import open_remote


def run(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    opened = open_remote(args)
    if isinstance(opened, int):
        return opened
    endpoint, key, store = opened

    def make(*parts: Any) -> RemoteToolChat:
        return RemoteToolChat(endpoint, key, *parts)

    try:
        return chat_tools.run_with_tools(args, settings, Path(args.model), store, make)
    finally:
        if store is not None:
            store.close()


class _Stream:
    """Stands in for the engine client and the Qt loop: stops the stream, ends the rounds."""

    def __init__(self) -> None:
        self.abort = threading.Event()
        self.closer: Any = None
        self.over = False

    def stop(self) -> None:
        self.abort.set()
        if self.closer is not None:
            self.closer.close()

    def quit(self) -> None:
        self.over = True

    def shutdown(self) -> None:
        self.stop()


class RemoteToolChat(chat_tools._ToolChat):
    """A tool turn whose rounds are blocking remote streams, one after another."""

    def __init__(self, endpoint: Any, key: str, *parts: Any) -> None:
        """``parts``: _ToolChat's arguments (args, settings, model, store, toolbox, choice)."""
        from desktop_chat.engine import endpoints

        args, settings, model, store, toolbox, choice = parts
        # The server returns calls as delta.tool_calls (put back as <tool_call> markup), so the
        # loop reads them as in "auto"; a required call is asked of the server instead.
        loop_choice = "auto" if choice == "required" else choice
        super().__init__(args, settings, model, store, toolbox, loop_choice)
        self.endpoint = endpoint
        self.key = key
        self.required = choice == "required"
        self.model_name = endpoints.remote_id(endpoint.name, args.model)
        self.effective = settings_mod.effective(settings, self.model_name)
        self.next_request: Any = None

    def run(self) -> int:
        from desktop_chat.engine.remote import timeouts_for

        self.timeouts = timeouts_for(self.endpoint, self.effective.remote)
        self.stream = _Stream()
        self.client = self.qloop = self.stream  # type: ignore[assignment]
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            self._on_loaded(0, None)
            while self.next_request is not None and not self.stream.over:
                request, self.next_request = self.next_request, None
                self._round(request)
            self._persist()
        finally:
            signal.signal(signal.SIGINT, previous)
        return self._report()

    def context_size(self) -> int:
        from desktop_chat.engine import remote_http

        n_ctx, _ = remote_http.context_size(
            self.endpoint,
            self.args.model,
            self.key,
            self.timeouts,
            self.effective.remote.default_context,
        )
        return n_ctx

    def _generate(self) -> None:
        self.next_request = self._request()

    def _request(self) -> Any:
        request = super()._request()
        first = self.loop.rounds == 0
        choice = "required" if self.required and first and request.tools else ""
        return dataclasses.replace(request, tool_choice=choice)

    def _round(self, request: Any) -> None:
        import time

        from desktop_chat.engine import remote_http, tool_prompt
        from desktop_chat.engine.remote_budget import fit_history
        from desktop_chat.engine.remote_errors import RemoteError
        from desktop_chat.engine.types import ContextOverflowError

        began = time.monotonic()
        stream = self.stream
        try:
            fitted = fit_history(request, self.context_size())
            tools = tool_prompt.parse_tools(request.tools)
            body = remote_http.request_body(
                self.endpoint,
                self.args.model,
                fitted.messages,
                request.gen,
                tools,
                request.tool_choice,
            )
            stream.closer = remote_http.Closer()
            outcome = remote_http.stream_chat(
                self.endpoint,
                self.key,
                body,
                self.timeouts,
                lambda text: self._on_chunk(0, text),
                stream.abort,
                stream.closer,
            )
        except (RemoteError, ContextOverflowError) as error:
            self._on_failed(0, str(error))
            return
        self._on_done(0, outcome.stats(fitted.prompt_tokens, began))
