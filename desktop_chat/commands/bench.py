"""`desktop-chat bench [--json FILE] [--peers]`: runs every benchmark and prints its figures."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCHES = (
    "engine",
    "speculative",
    "session",
    "launch",
    "models",
    "kb",
    "store",
    "render",
    "remote",
    "server",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bench", help="measure speed and memory figures")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--only", choices=BENCHES, action="append", help="run a subset")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also measure llama.cpp's llama-bench and llama-server on the same model",
    )
    parser.add_argument(
        "--build-peers",
        action="store_true",
        help="build the peers first if they are missing (downloads the binding's source)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from desktop_chat import paths

    # The peers are built once into the user's own cache, not the throwaway home below.
    peer_cache = paths.cache_dir()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DESKTOP_CHAT_HOME", tempfile.mkdtemp(prefix="desktop-chat-bench-"))
    from desktop_chat import logs
    from desktop_chat.bench.report import Figure, table
    from desktop_chat.models import starter

    logs.setup()
    only = set(args.only or BENCHES)
    smol = starter.smollm2_path()
    if smol is None:
        print("desktop-chat bench: the starter extra is not installed.", file=sys.stderr)
        return 2
    figures: list[Figure] = []
    if "engine" in only:
        from desktop_chat.bench import engine_bench

        figures += engine_bench.run(smol)
    if "speculative" in only:
        from desktop_chat.bench import speculative_bench

        figures += speculative_bench.run(smol)
        # The starter model cannot win (a verified batch of k costs ~k steps, and it keeps few
        # drafts); a model that copies well is measured beside it, in the same run.
        gemma = starter.gemma3_path(peer_cache)  # the user's cache: assembled once
        if gemma is not None:
            figures += speculative_bench.run(gemma, label="Gemma 3 270M")
    if "session" in only:
        from desktop_chat.bench import session_bench

        figures += session_bench.run(smol)
    if "launch" in only:
        from desktop_chat import paths
        from desktop_chat.bench import launch_bench

        figures += launch_bench.run(Path(tempfile.mkdtemp(prefix="launch-", dir=paths.cache_dir())))
    if args.peers:
        peer_figures = _peer_figures(smol, peer_cache, args.build_peers)
        if peer_figures is None:
            return 2
        figures += peer_figures
    if "models" in only:
        from desktop_chat import paths
        from desktop_chat.bench import models_bench

        gemma = starter.gemma3_path(paths.cache_dir())
        if gemma is not None:
            figures += models_bench.run(smol, gemma)
    if "kb" in only:
        figures += _kb_figures(Figure)
    if "store" in only:
        try:
            store_bench = importlib.import_module("desktop_chat.bench.store_bench")
        except ImportError:
            pass
        else:
            figures += store_bench.run(smol)
    if "render" in only:
        from desktop_chat.bench import render_bench

        figures += render_bench.run()
    if "remote" in only:
        from desktop_chat.bench import remote_bench

        figures += remote_bench.run(smol)
    if "server" in only:
        from desktop_chat.bench import server_bench

        figures += server_bench.run(smol)
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps([f.as_dict() for f in figures], indent=2) + "\n")
    return 0 if all(f.passed for f in figures) else 1


def _peer_figures(model: Path, cache: Path, build: bool) -> list[Any] | None:
    """The peers' figures; None (after saying why) when they are not built and may not be."""
    from desktop_chat.bench import peers, peers_bench
    from desktop_chat.engine.backend import llama_cpp_version

    version = llama_cpp_version()
    found = peers.find(cache, version)
    if found is None and not build:
        print(f"desktop-chat bench: {peers.not_built_message(cache, version)}", file=sys.stderr)
        return None
    try:
        if found is None:
            print("desktop-chat bench: building llama-bench and llama-server (minutes, once)…")
            found = peers.build(cache, version)
        return peers_bench.run(model, found)
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as error:
        logging.getLogger(__name__).exception("the peers failed")
        print(
            f"desktop-chat bench: the llama.cpp peers could not be built or run ({error}). "
            "The other figures are above; details are in the log file.",
            file=sys.stderr,
        )
        return None


def _kb_figures(figure: Any) -> list[Any]:
    from desktop_chat.bench import kb_bench

    # Development next to held-out, per language and cross-language, then speed.
    return list(kb_bench.figures(figure))
