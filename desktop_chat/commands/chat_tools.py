"""`desktop-chat chat` with tools: --mcp servers and the configured tools, each call approved
(--yes, or a question on the terminal), results back to the model until it answers; --json
prints one final line {"answer", "reasoning", "tool_calls", "stats"}."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands.chat_setup import (
    EXIT_INTERRUPTED,
    StartError,
    fail,
    print_sources,
    quote_saved,
    start_turn,
)
from desktop_chat.commands.local_turn import LocalTurn

log = logging.getLogger(__name__)


def register_arguments(parser: Any) -> None:
    parser.add_argument(
        "--mcp",
        action="append",
        default=[],
        metavar='"COMMAND ARGS" | URL',
        help="an MCP server for this run: a command (stdio) or a Streamable HTTP URL; repeatable",
    )
    parser.add_argument(
        "--tool-choice",
        choices=("auto", "required", "none"),
        help="auto: the model may call tools; required: its first step must be a call; "
        "none: no tools (default: auto when tools are configured)",
    )
    parser.add_argument("--yes", action="store_true", help="approve every tool call without asking")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON line at the end: {"answer", "reasoning", "tool_calls", "stats"}',
    )


def wants_tools(args: argparse.Namespace) -> bool:
    """Whether this run goes through the tool loop (configured tools count unless 'none')."""
    if getattr(args, "mcp", None) or getattr(args, "json", False):
        return True
    if getattr(args, "tool_choice", None) in ("auto", "required"):
        return True
    if getattr(args, "tool_choice", None) == "none":
        return False
    from desktop_chat.tools import config

    saved = config.load()
    return bool(saved.builtins or any(s.enabled for s in saved.servers))


def run_with_tools(
    args: argparse.Namespace,
    settings: settings_mod.Settings,
    model: Path,
    store: Any,
    factory: Any = None,
) -> int:
    """The tool turn; ``factory`` makes the chat (a remote one) with _ToolChat's arguments."""
    from desktop_chat.tools import config
    from desktop_chat.tools.toolbox import Toolbox

    tools_config = config.load()
    try:
        for index, line in enumerate(args.mcp or [], start=1):
            tools_config.servers.append(config.server_from_command(line, index))
    except config.ToolsConfigError as error:
        return fail(str(error), 2)
    choice = args.tool_choice or "auto"
    toolbox = Toolbox(tools_config if choice != "none" else config.ToolsConfig())
    try:
        toolbox.start()
        for problem in toolbox.problems:
            print(f"desktop-chat: {problem}", file=sys.stderr)
        if choice == "required" and not toolbox.specs:
            return fail("--tool-choice required, but no tool could be offered.", 2)
        make = factory or _ToolChat
        return int(make(args, settings, model, store, toolbox, choice).run())
    finally:
        toolbox.close()


class _ToolChat(LocalTurn):
    """One question, as many generation rounds as its tool calls need."""

    def __init__(
        self,
        args: argparse.Namespace,
        settings: settings_mod.Settings,
        model: Path,
        store: Any,
        toolbox: Any,
        choice: str,
    ) -> None:
        from desktop_chat.chat.tool_loop import ToolLoop

        self.args = args
        self.model = model
        self.model_name = model.name  # what the conversation records as its model
        self.effective = settings_mod.effective(settings, settings_mod.model_key_for(model))
        self.store = store
        self.documents = args.documents
        self.system: str | None = None  # with the attached documents, once the turn started
        self.citations: list[dict[str, Any]] = []
        self.error_code = 1
        self.toolbox = toolbox
        self.loop = ToolLoop(toolbox, self._approve, choice, toolbox.config.max_calls_per_turn)
        self.round_text = ""
        self.answer = ""  # what the user was shown, across rounds
        self.reasoning = ""
        self.notes: list[str] = []
        self.stats: Any = None
        self.error: str | None = None
        self.interrupted = False
        self.printed = False
        self.message_id: int | None = None
        self.splitter: Any = None

    def run(self) -> int:
        self.run_engine(settings_mod.to_load_params(self.effective, self.model))
        return self._report()

    # -- rounds ----------------------------------------------------------------------------
    def _on_loaded(self, _request_id: int, _info: object) -> None:
        if self.interrupted:
            self.qloop.quit()
            return
        if not self._start():
            self.qloop.quit()
            return
        self._generate()

    def _generate(self) -> None:
        self.client.generate(self._request())

    def _request(self) -> Any:
        """The next round's request (a fresh reasoning splitter and round text with it)."""
        from desktop_chat.chat.reasoning import ReasoningSplitter
        from desktop_chat.engine.types import ChatMessage, ChatRequest

        system = self.args.system if self.system is None else self.system
        base = system if system is not None else self.effective.generation.system_prompt
        self.round_text = ""
        self.splitter = ReasoningSplitter()
        return ChatRequest(
            history=self.loop.history((ChatMessage("user", self.args.prompt),)),
            system=base,
            tools=self.loop.tools(),
            gen=self.loop.gen(settings_mod.to_gen_params(self.effective)),
            policy=self.effective.app.context_policy,
            json_schema=self.loop.schema(),
        )

    def _on_started(self, _request_id: int, info: Any) -> None:
        if self.splitter is not None and getattr(info, "opens_thinking", False):
            self.splitter.open()

    def _on_chunk(self, _request_id: int, text: str) -> None:
        piece = self.splitter.feed(text)
        self._take(piece)

    def _take(self, piece: Any) -> None:
        if piece.reasoning:
            self.reasoning += piece.reasoning
        answer = piece.answer
        if answer:
            self.round_text += answer
            self._show(self.loop.feed(answer))

    def _show(self, text: str) -> None:
        if not text:
            return
        self.answer += text
        if self.args.json:
            return
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
            self.printed = True
        except (OSError, ValueError):
            self.client.stop()

    def _on_done(self, _request_id: int, stats: object) -> None:
        self._take(self.splitter.finish())
        self.stats = self._add_stats(stats)
        round_ = self.loop.end_round(self.round_text)
        self._show(round_.tail)
        for note in round_.notes:
            self._note(note)
        if self.interrupted or not round_.calls:
            self.qloop.quit()
            return
        for outcome in self.loop.run(round_):
            label = {"done": "ran", "denied": "denied"}.get(outcome.status, outcome.status)
            self._note(
                f"tool {outcome.call.name} {label} ({outcome.seconds:.1f} s)"
                + (f": {outcome.error}" if outcome.error else "")
            )
        self._save_progress()
        if self.interrupted:
            self.qloop.quit()
            return
        self._generate()

    def _add_stats(self, stats: Any) -> Any:
        if self.stats is None or stats is None:
            return stats
        stats.prompt_tokens = max(stats.prompt_tokens, self.stats.prompt_tokens)
        stats.completion_tokens += self.stats.completion_tokens
        stats.total_s += self.stats.total_s
        stats.ttft_s = self.stats.ttft_s
        return stats

    def _note(self, text: str) -> None:
        self.notes.append(text)
        if not self.args.json:
            print(f"desktop-chat: {text}", file=sys.stderr)

    def _on_failed(self, _request_id: int, message: str) -> None:
        self.error = message
        self.qloop.quit()

    def _on_sigint(self, _signum: int, _frame: FrameType | None) -> None:
        if self.interrupted:
            self.qloop.quit()
            return
        self.interrupted = True
        self.loop.cancel.set()
        self.client.stop()

    # -- approval --------------------------------------------------------------------------
    def _approve(self, call: Any, spec: Any) -> str:
        from desktop_chat.chat.tool_loop import ALLOW_ONCE, ALWAYS, DENY

        if self.args.yes:
            return ALLOW_ONCE
        if not sys.stdin.isatty():
            self._note(
                f"the model asked to run {call.name}; it was denied because no one can be "
                "asked here (pass --yes to allow tool calls)."
            )
            return DENY
        where = f" on {spec.server}" if spec is not None else ""
        arguments = json.dumps(call.arguments, ensure_ascii=False)
        prompt = (
            f"\nRun the tool {call.name}{where} with {arguments}? "
            "[y] allow once / [a] always for this tool / [N] deny: "
        )
        try:
            print(prompt, end="", file=sys.stderr, flush=True)
            reply = sys.stdin.readline().strip().lower()
        except (OSError, ValueError):
            return DENY
        if reply in ("a", "always"):
            return ALWAYS
        return ALLOW_ONCE if reply in ("y", "yes") else DENY

    # -- saving ----------------------------------------------------------------------------
    def _start(self) -> bool:
        """Keep the question and its documents (when saving) and ground the rounds on them;
        False after setting the error."""
        from desktop_chat.commands.chat_setup import NO_SAVE_HINT
        from desktop_chat.store import StoreError

        try:
            started = start_turn(
                self.store,
                self.documents,
                self._request(),
                self.args.prompt,
                self.model_name,
                self.context_size(),
            )
            self.system = started.turn.request.system
            self.citations = started.turn.citations
            exchange = started.exchange
            if exchange is not None:
                message = self.store.add_message(
                    exchange.conversation_id,
                    "assistant",
                    "",
                    parent_id=exchange.question_id,
                    complete=False,
                    model=self.model_name,
                    citations=self.citations or None,
                )
                self.message_id = message.id
        except StartError as error:
            self.error, self.error_code = str(error), error.code
            return False
        except StoreError as error:
            self.error = f"{error} {NO_SAVE_HINT}"
            return False
        return True

    def _save(self, **more: Any) -> None:
        """The answer so far (text, reasoning, the calls' records) and ``more`` columns."""
        self.store.update_message(
            self.message_id,
            content=self.answer,
            reasoning=self.reasoning,
            tool_calls=self.loop.records(),
            **more,
        )

    def _save_progress(self) -> None:
        from desktop_chat.store import StoreError

        if self.message_id is None:
            return
        try:
            self._save()
        except StoreError as error:
            log.info("could not save the answer yet: %s", error)

    def _persist(self) -> None:
        from desktop_chat.store import StoreError

        if self.message_id is None:
            return
        stats = self.stats
        try:
            self._save(
                complete=self.error is None,
                stop_reason=str(stats.stop_reason) if stats is not None else "error",
                tokens=stats.completion_tokens if stats is not None else None,
                ttft_s=stats.ttft_s if stats is not None else None,
                tokens_per_s=stats.tokens_per_s if stats is not None else None,
            )
        except StoreError as error:
            log.warning("could not save the answer: %s", error)
            self.error = self.error or str(error)
            return
        if self.citations and self.error is None:
            quote_saved(self.store, self.message_id)

    def _report(self) -> int:
        if self.args.json:
            stats = self.stats
            line = {
                "answer": self.answer.strip(),
                "reasoning": self.reasoning.strip(),
                "tool_calls": [
                    {
                        "name": o.call.name,
                        "arguments": o.call.arguments,
                        "result": o.result,
                        "status": o.status,
                        "error": o.error,
                        "seconds": round(o.seconds, 3),
                    }
                    for o in self.loop.outcomes
                ],
                "stats": {
                    "prompt_tokens": getattr(stats, "prompt_tokens", 0),
                    "completion_tokens": getattr(stats, "completion_tokens", 0),
                    "ttft_s": round(getattr(stats, "ttft_s", 0.0), 3),
                    "tokens_per_s": round(getattr(stats, "tokens_per_s", 0.0), 1),
                    "stop_reason": str(getattr(stats, "stop_reason", "error")),
                    "rounds": self.loop.rounds,
                },
                "notes": self.notes,
            }
            if self.documents:
                line["sources"] = self.documents.source_lines(self.answer, self.citations)
            if self.error is not None:
                line["error"] = self.error
            with contextlib.suppress(BrokenPipeError, ValueError):
                print(json.dumps(line, ensure_ascii=False))
        elif self.printed:
            with contextlib.suppress(BrokenPipeError, ValueError):
                print()
        if self.error is not None:
            print(f"desktop-chat: {self.error}", file=sys.stderr)
            return self.error_code
        if not self.args.json:
            print_sources(self.documents, self.answer, self.citations, sys.stdout)
        if self.interrupted:
            print("desktop-chat: stopped.", file=sys.stderr)
            return EXIT_INTERRUPTED
        return 0
