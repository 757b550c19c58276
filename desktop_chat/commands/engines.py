"""`desktop-chat engines list | add NAME URL | remove NAME | test NAME`: remote endpoints."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop_chat.commands.errors import guard, load_settings


def register(subparsers: Any) -> None:
    from desktop_chat.engine.endpoints import Preset

    parser = subparsers.add_parser(
        "engines", help="remote OpenAI-compatible engines (llama-server, vLLM, Ollama, …)"
    )
    sub = parser.add_subparsers(dest="engines_command", required=True)
    sub.add_parser("list", help="the saved endpoints")
    add = sub.add_parser("add", help="save an endpoint (the same name again replaces it)")
    add.add_argument("name", help="a short name, e.g. lab")
    add.add_argument("url", help="the base URL, e.g. http://127.0.0.1:8080/v1")
    add.add_argument("--api-key", help="kept in the system keyring")
    add.add_argument(
        "--preset", choices=[p.value for p in Preset], default=Preset.CLOUD.value, help="the engine"
    )
    add.add_argument("--context", type=int, default=0, help="context size (0: ask the server)")
    add.add_argument("--timeout", type=float, default=0.0, help="stall timeout in s (0: default)")
    remove = sub.add_parser("remove", help="forget an endpoint and its key")
    remove.add_argument("name")
    test = sub.add_parser("test", help="connect, list the models and the context size")
    test.add_argument("name")
    test.add_argument("--api-key", help="use this key instead of the saved one")
    parser.set_defaults(func=guard("engines", run))


def _say(text: str) -> None:
    print(text)


def _fail(text: str, code: int = 1) -> int:
    print(f"desktop-chat engines: error: {text}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from desktop_chat.engine import endpoints

    command = args.engines_command
    if command == "list":
        items = endpoints.load()
        if not items:
            _say("No remote engines yet. Add one: desktop-chat engines add NAME URL")
        for e in items:
            context = f"context {e.context_size}" if e.context_size else "context from server"
            _say(f"{e.name}\t{e.base_url}\t{e.preset.value}\t{context}")
        return 0
    if command == "add":
        return _add(args)
    if command == "remove":
        if not endpoints.remove(args.name):
            return _fail(
                f"there is no endpoint named “{args.name}” (see: desktop-chat engines list)."
            )
        _say(f"Removed {args.name}.")
        return 0
    return _test(args)


def _add(args: argparse.Namespace) -> int:
    from desktop_chat.engine import endpoints

    try:
        saved = endpoints.add(
            endpoints.Endpoint(
                args.name,
                args.url,
                endpoints.Preset(args.preset),
                max(0, args.context),
                max(0.0, args.timeout),
            ),
            replace_existing=True,
        )
    except endpoints.EndpointError as error:
        return _fail(str(error), 2)
    _say(f"Saved {saved.name}: {saved.base_url}")
    if args.api_key:
        where = endpoints.set_key(saved.name, args.api_key, endpoints.KeyStorage.KEYRING)
        if where == "keyring":
            _say("The API key is in the system keyring.")
        else:
            _say(
                "No system keyring works here, so the key was not stored: pass --api-key with "
                "each command, or add the key in the window (for the session)."
            )
    return 0


def _test(args: argparse.Namespace) -> int:
    from desktop_chat.engine import endpoints, remote_http
    from desktop_chat.engine.remote import timeouts_for
    from desktop_chat.engine.remote_errors import RemoteError

    endpoint = endpoints.get(args.name)
    if endpoint is None:
        return _fail(f"there is no endpoint named “{args.name}” (see: desktop-chat engines list).")
    settings = load_settings("desktop-chat engines")
    key = args.api_key if args.api_key is not None else endpoints.get_key(endpoint.name)
    timeouts = timeouts_for(endpoint, settings.remote)
    try:
        models = remote_http.refresh_models(endpoint, key, timeouts)
    except RemoteError as error:
        return _fail(str(error))
    _say(f"{endpoint.name} answers at {endpoint.base_url}: {len(models)} model(s).")
    for model in models:
        size, source = remote_http.context_size(
            endpoint, model.id, key, timeouts, settings.remote.default_context
        )
        said = {"server": "from the server", "endpoint": "set for this endpoint"}.get(
            source, "assumed; the server does not say"
        )
        _say(f"  {model.id}\tcontext {size} ({said})")
    return 0
