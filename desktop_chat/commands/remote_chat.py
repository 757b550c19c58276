"""`desktop-chat chat --endpoint URL --model NAME "…"`: the answer from a remote engine, streamed
to stdout and saved as it grows, like a local headless chat (Ctrl+C closes the stream)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands import chat_setup
from desktop_chat.commands.chat_setup import EXIT_INTERRUPTED, StartError, fail


def resolve_endpoint(given: str) -> Any:
    """A saved endpoint by name, or one made up on the spot for a URL (not saved)."""
    from desktop_chat.engine import endpoints

    saved = endpoints.get(given)
    if saved is not None:
        return saved
    url = endpoints.normalize_url(given)
    same = next((e for e in endpoints.load() if e.base_url == url), None)
    if same is not None:
        return same
    host = url.split("://", 1)[1].split("/", 1)[0]
    return endpoints.Endpoint(name=host, base_url=url, preset=endpoints.Preset.CLOUD)


def open_remote(args: argparse.Namespace) -> tuple[Any, Any, Any] | int:
    """What a remote chat needs, (endpoint, key, store or None), or the exit code of the
    sentence already printed; shared by the plain and the tool-using remote chat."""
    from desktop_chat import logs
    from desktop_chat.engine import endpoints

    logs.setup()
    if not args.model:
        return fail(
            "pass --model NAME with --endpoint (`desktop-chat engines test NAME` lists them).", 2
        )
    try:
        endpoint = resolve_endpoint(args.endpoint)
    except endpoints.EndpointError as error:
        return fail(str(error), 2)
    key = args.api_key if args.api_key is not None else endpoints.get_key(endpoint.name)
    store = chat_setup.open_chat_store(args)
    if isinstance(store, int):
        return store
    return endpoint, key, store


def run_remote(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    opened = open_remote(args)
    if isinstance(opened, int):
        return opened
    endpoint, key, store = opened
    try:
        return _RemoteChat(args, settings, endpoint, key, store).run()
    finally:
        if store is not None:
            store.close()


class _RemoteChat:
    def __init__(
        self,
        args: argparse.Namespace,
        settings: settings_mod.Settings,
        endpoint: Any,
        key: str,
        store: Any,
    ) -> None:
        from desktop_chat.engine import endpoints

        self.args = args
        self.endpoint = endpoint
        self.key = key
        self.record = endpoints.remote_id(endpoint.name, args.model)
        self.effective = settings_mod.effective(settings, self.record)
        self.store = store
        self.documents = args.documents
        self.citations: list[dict[str, Any]] = []
        self.writer: Any = None
        self.answer: Any = None
        self.abort = threading.Event()
        self.interrupted = False
        self.printed = False

    def run(self) -> int:
        from desktop_chat.chat.answer_writer import StreamingAnswer
        from desktop_chat.engine import remote_http
        from desktop_chat.engine.remote import timeouts_for
        from desktop_chat.engine.remote_budget import fit_history
        from desktop_chat.engine.remote_errors import RemoteError
        from desktop_chat.engine.types import ChatMessage, ChatRequest, ContextOverflowError

        system = self.args.system
        request = ChatRequest(
            history=(ChatMessage("user", self.args.prompt),),
            system=system if system is not None else self.effective.generation.system_prompt,
            gen=settings_mod.to_gen_params(self.effective),
        )
        remote = self.effective.remote
        timeouts = timeouts_for(self.endpoint, remote)
        n_ctx, _ = remote_http.context_size(
            self.endpoint, self.args.model, self.key, timeouts, remote.default_context
        )
        request = self._start(request, n_ctx)
        if isinstance(request, int):
            return request
        if self.answer is None:
            self.answer = StreamingAnswer(0, 0)
        closer = remote_http.Closer()
        previous = signal.signal(signal.SIGINT, lambda s, f: self._on_sigint(s, f, closer))
        error: str | None = None
        outcome = None
        try:
            fitted = fit_history(request, n_ctx)
            body = remote_http.request_body(
                self.endpoint, self.args.model, fitted.messages, request.gen
            )
            outcome = remote_http.stream_chat(
                self.endpoint, self.key, body, timeouts, self._on_text, self.abort, closer
            )
        except (RemoteError, ContextOverflowError) as exc:
            error = str(exc)
        finally:
            signal.signal(signal.SIGINT, previous)
        self._persist(error, outcome)
        return self._report(error, outcome)

    def _start(self, request: Any, n_ctx: int) -> Any:
        """The request with the attached documents, its question and answer kept when
        saving; else the exit code of the sentence printed."""
        from desktop_chat.store import StoreError

        try:
            started = chat_setup.start_turn(
                self.store, self.documents, request, self.args.prompt, self.record, n_ctx
            )
            self.citations = started.turn.citations
            if started.exchange is not None:
                self.writer, self.answer = chat_setup.start_answer(self.store, started, self.record)
        except StartError as error:
            print(f"desktop-chat: {error}", file=sys.stderr)
            return error.code
        except StoreError as error:
            print(f"desktop-chat: {error} {chat_setup.NO_SAVE_HINT}", file=sys.stderr)
            return 1
        return started.turn.request

    def _on_text(self, text: str) -> None:
        from desktop_chat.store import StoreError

        self.answer.add(text)
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
            self.printed = True
        except (OSError, ValueError):  # the reader went away (`| head`): stop here
            self.abort.set()
        if self.writer is not None:
            with contextlib.suppress(StoreError):  # the next save tries again
                self.writer.save_due(self.answer, time.monotonic())

    def _on_sigint(self, _signum: int, _frame: FrameType | None, closer: Any) -> None:
        self.interrupted = True
        self.abort.set()
        closer.close()

    def _persist(self, error: str | None, outcome: Any) -> None:
        from desktop_chat.engine.types import GenerationStats, StopReason
        from desktop_chat.store import StoreError

        if self.writer is None:
            return
        try:
            if error is not None:
                self.writer.fail(self.answer)
            elif outcome is not None and outcome.stopped:
                self.writer.abandon(self.answer)
            else:
                stats = GenerationStats(
                    completion_tokens=outcome.completion_tokens if outcome else 0,
                    ttft_s=outcome.ttft_s if outcome else 0.0,
                    stop_reason=StopReason.LENGTH
                    if outcome and outcome.finish_reason == "length"
                    else StopReason.DONE,
                )
                self.writer.finish(self.answer, stats)
                chat_setup.quote_saved(self.store, self.answer.message_id)
        except StoreError as exc:
            print(f"desktop-chat: could not save the answer: {exc}", file=sys.stderr)

    def _report(self, error: str | None, outcome: Any) -> int:
        if self.printed:
            with contextlib.suppress(BrokenPipeError, ValueError):
                print()
        if error is not None:
            print(f"desktop-chat: {error}", file=sys.stderr)
            return 1
        if self.args.stats and outcome is not None:
            generating = outcome.total_s - outcome.ttft_s
            rate = (outcome.completion_tokens - 1) / generating if generating > 0 else 0.0
            print(
                f"tokens={outcome.completion_tokens} ttft_s={outcome.ttft_s:.3f} "
                f"tokens_per_s={rate:.1f}",
                file=sys.stderr,
            )
        if self.interrupted:
            kept = " The answer so far was saved." if self.writer and self.answer.text else ""
            print(f"desktop-chat: stopped.{kept}", file=sys.stderr)
            return EXIT_INTERRUPTED
        chat_setup.print_sources(self.documents, self.answer.text, self.citations, sys.stdout)
        return 0
