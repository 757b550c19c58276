"""Settings of the app's connections: the OpenAI-compatible API it serves (``server``) and the
remote engines it talks to (``remote``)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.settings.declare import setting

SERVER_HOST_DEFAULT = "127.0.0.1"


@dataclass(frozen=True)
class ServerSettings:
    enabled: bool = setting(
        False,
        label="Serve an OpenAI-compatible API",
        help="Let other programs on this computer use the loaded model through an "
        "OpenAI-compatible HTTP API.",
    )
    host: str = setting(
        SERVER_HOST_DEFAULT,
        label="Listen address",
        help="127.0.0.1 = this computer only. Any other address makes the API reachable from "
        "other machines and needs an API key.",
    )
    port: int = setting(8080, label="Port", help="The TCP port of the API.", min=1, max=65535)
    api_key: str = setting(
        "",
        label="API key",
        help="Clients send it as 'Authorization: Bearer <key>'. Empty = no key (this computer "
        "only).",
    )
    cors_origins: tuple[str, ...] = setting(
        (),
        label="Allowed web origins (CORS)",
        help="Web pages allowed to call the API from a browser, e.g. http://localhost:3000. "
        "Empty = none.",
    )
    max_queue: int = setting(
        8,
        label="Request queue",
        help="Server requests waiting for or using the model at once; more are refused with 429.",
        min=1,
        max=256,
        unit="requests",
    )
    max_body_kb: int = setting(
        1024,
        label="Largest request",
        help="Bigger request bodies are refused with 413.",
        min=1,
        max=65536,
        unit="KB",
    )
    log_bodies: bool = setting(
        False,
        label="Log message text",
        help="Write the messages and answers of each request to the request log. Off = "
        "only sizes and timings.",
    )


@dataclass(frozen=True)
class RemoteSettings:
    connect_timeout_s: float = setting(
        10.0,
        label="Connect timeout",
        help="How long to wait for a remote engine to accept the connection.",
        min=1.0,
        max=300.0,
        unit="s",
    )
    stall_timeout_s: float = setting(
        60.0,
        label="Stall timeout",
        help="A remote answer that sends nothing for this long is stopped (what arrived is "
        "kept). An endpoint's own timeout wins.",
        min=1.0,
        max=3600.0,
        unit="s",
    )
    default_context: int = setting(
        4096,
        label="Remote context size",
        help="The context size assumed for a remote model when its server does not say it and "
        "the endpoint sets none.",
        min=256,
        max=1048576,
        unit="tokens",
    )
