"""The API server's configuration, from settings or the command line, and the safe-bind rule."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from desktop_chat.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "ip6-localhost"})


class ServerConfigError(ValueError):
    """The server must not or cannot start like this; ``str(error)`` is the sentence to show."""


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080  # 0 = any free port (tests)
    api_key: str = ""
    cors_origins: tuple[str, ...] = ()
    max_queue: int = 8
    max_body_bytes: int = 1024 * 1024
    log_bodies: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerConfig:
        server = settings.server
        return cls(
            host=server.host.strip() or "127.0.0.1",
            port=server.port,
            api_key=server.api_key.strip(),
            cors_origins=tuple(server.cors_origins),
            max_queue=server.max_queue,
            max_body_bytes=server.max_body_kb * 1024,
            log_bodies=server.log_bodies,
        )

    @property
    def public(self) -> bool:
        """Whether other machines can reach the API (it listens beyond loopback)."""
        return not is_loopback(self.host)


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def check_bind(config: ServerConfig) -> None:
    """Refuse to listen beyond this computer without a key (the API runs the user's model)."""
    if config.public and not config.api_key:
        raise ServerConfigError(
            QCoreApplication.translate(
                "ServerConfig",
                "Listening on {host} makes the API reachable from other machines, so it needs "
                "an API key. Set one (Settings → Server → Generate, or --api-key), or listen on "
                "127.0.0.1.",
            ).format(host=config.host)
        )


def base_url(host: str, port: int) -> str:
    """The URL clients use: a wildcard bind is reached through loopback on this machine."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/v1"


def new_api_key() -> str:
    return "dc-" + secrets.token_urlsafe(24)
