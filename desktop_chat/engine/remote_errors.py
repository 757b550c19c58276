"""What went wrong talking to a remote engine, as one sentence with a way forward."""

from __future__ import annotations

import json
import socket
import ssl

import httpx

from desktop_chat.engine.types import EngineError


class RemoteError(EngineError):
    """A remote engine's fault; ``kind`` names it for tests and logs, str() is the sentence."""

    def __init__(self, sentence: str, kind: str) -> None:
        super().__init__(sentence)
        self.kind = kind


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except Exception:
        return url


def transport_error(
    exc: httpx.HTTPError, url: str, *, streaming: bool, stall_s: float
) -> RemoteError:
    """A connection that failed, stalled or was cut; ``streaming``: text had arrived already."""
    host = _host(url)
    chain = _causes(exc)
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
        return RemoteError(
            f"{host} sent nothing for {stall_s:g} s, so the answer was stopped"
            + (" (what arrived is kept, marked incomplete)" if streaming else "")
            + ". The server may be overloaded: try again, or raise the timeout in "
            "Settings → Engines.",
            "stall",
        )
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return RemoteError(
            f"{host} did not answer in time. Check that the server is running and that this "
            "computer can reach it, then try again.",
            "connect-timeout",
        )
    if any(isinstance(c, socket.gaierror) for c in chain) or "Name or service not known" in str(
        exc
    ):
        return RemoteError(
            f"The name “{host}” could not be found (DNS). Check the address in "
            "Settings → Engines, or your network connection.",
            "dns",
        )
    if any(isinstance(c, ssl.SSLError) for c in chain) or "SSL" in str(exc):
        return RemoteError(
            f"The secure connection to {host} failed ({exc}). Check that the address uses "
            "https:// only if the server speaks TLS, and that its certificate is valid.",
            "tls",
        )
    if isinstance(exc, httpx.ConnectError):
        return RemoteError(
            f"Nothing answers at {url}. Start the server, or check the address and port in "
            "Settings → Engines.",
            "unreachable",
        )
    if streaming:
        return RemoteError(
            f"The connection to {host} was cut while the answer was streaming; what arrived "
            "is kept, marked incomplete. Press Continue or Regenerate once the server is back.",
            "cut",
        )
    return RemoteError(
        f"The connection to {host} failed ({exc}). Check that the server is running, then "
        "try again.",
        "network",
    )


def _server_message(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8", "replace") or "null")
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:200]
    if isinstance(data, dict):
        error = data.get("error", data.get("detail"))
        if isinstance(error, dict):
            return str(error.get("message", ""))[:200]
        if error:
            return str(error)[:200]
        if data.get("message"):
            return str(data["message"])[:200]
    return ""


def status_error(status: int, body: bytes, *, model: str, retry_after: str | None) -> RemoteError:
    """An HTTP error status from the server, with the server's own message when it gave one."""
    said = _server_message(body)
    detail = f" The server said: {said}" if said else ""
    if status in (401, 403):
        return RemoteError(
            f"The server refused the API key ({status}). Enter the right key for this "
            f"endpoint in Settings → Engines, or with `desktop-chat engines add`.{detail}",
            "auth",
        )
    if status == 404:
        return RemoteError(
            f"The server has no model “{model}”, or no OpenAI-compatible API at this address "
            "(404). Pick one of its models (Settings → Engines → Fetch models), and check that "
            f"the base URL ends in /v1.{detail}",
            "not-found",
        )
    if status == 429:
        wait = f"Wait {retry_after} s" if retry_after and retry_after.isdigit() else "Wait a little"
        return RemoteError(
            f"The server is busy or the account's limit is reached (429). {wait} and try "
            f"again.{detail}",
            "rate-limit",
        )
    if status >= 500:
        return RemoteError(
            f"The server failed with an internal error ({status}). Try again; if it keeps "
            f"failing, look at the server's log.{detail}",
            "server",
        )
    return RemoteError(
        f"The server refused the request ({status}). Check the endpoint's settings.{detail}",
        "refused",
    )
