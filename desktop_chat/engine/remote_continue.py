"""Continue on a remote answer. A server that continues an assistant message sent last gets the
partial answer last: our own `desktop-chat serve`, llama.cpp's llama-server (it prefills it) and
vLLM (asked with continue_final_message). Any other API would answer it anew, so it is asked in
a user message to go on, and the chat says that this is what Continue did there."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication

from desktop_chat.engine import remote_http
from desktop_chat.engine.endpoints import Endpoint, Preset
from desktop_chat.engine.types import ChatMessage

log = logging.getLogger(__name__)

ASK_TO_GO_ON = "Continue your last answer exactly where it stopped."
# /v1/models' owned_by, per server that continues a final assistant message.
PREFILLS = {"desktop-chat": "own", "llamacpp": "llama-server", "vllm": "vllm"}

_kinds: dict[str, str] = {}  # base URL -> a PREFILLS value, or "" (asked once a session)


def server_kind(endpoint: Endpoint, key: str, timeouts: remote_http.Timeouts) -> str:
    """Which continuing server answers at the endpoint ("own", "llama-server", "vllm"), from
    what its model list says it is; "" for any other (or one that would not say)."""
    if endpoint.base_url in _kinds:
        return _kinds[endpoint.base_url]
    kind = ""
    quick = remote_http.Timeouts(timeouts.connect_s, min(timeouts.stall_s, 10.0))
    try:
        with remote_http.client(endpoint, key, quick) as http:
            data = http.get(f"{endpoint.base_url}/models").json()
        items = data.get("data") if isinstance(data, dict) else None
        owners = {str(i.get("owned_by")) for i in items or [] if isinstance(i, dict)}
        kind = next((PREFILLS[o] for o in sorted(owners) if o in PREFILLS), "")
    except (httpx.HTTPError, ValueError, AttributeError, TypeError) as exc:
        log.info("could not tell which server %s is (%s)", endpoint.base_url, exc)
    if not kind and endpoint.preset == Preset.VLLM:
        kind = "vllm"
    _kinds[endpoint.base_url] = kind
    return kind


@dataclass
class Continuation:
    """What a continued turn sends: its messages, fields added to the body, a note to show."""

    messages: list[ChatMessage]
    body: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def continuation(kind: str, messages: list[ChatMessage]) -> Continuation:
    """The messages (ending in the partial answer) as the server ``kind`` can continue them."""
    if kind in ("own", "llama-server"):
        return Continuation(messages)
    if kind == "vllm":
        return Continuation(
            messages, {"continue_final_message": True, "add_generation_prompt": False}
        )
    note = QCoreApplication.translate(
        "RemoteEngine",
        "Continue asks the remote engine to go on: this server cannot resume an answer where "
        "it stopped, so the rest may not join up exactly.",
    )
    return Continuation([*messages, ChatMessage("user", ASK_TO_GO_ON)], note=note)
