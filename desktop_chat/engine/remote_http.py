"""OpenAI-compatible HTTP, blocking (call it off the GUI thread): models, context size, streaming.

Stop closes the stream: every socket a request opened is recorded, and ``Closer.close`` shuts
it down from the stopping thread, which wakes a read blocked in the kernel at once (closing
the file descriptor would not).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from desktop_chat.engine import remote_tools
from desktop_chat.engine.endpoints import Endpoint, Preset
from desktop_chat.engine.remote_errors import RemoteError, status_error, transport_error
from desktop_chat.engine.remote_models import RemoteModel, remember
from desktop_chat.engine.types import ChatMessage, GenerationStats, GenParams, StopReason

log = logging.getLogger(__name__)

# Presets whose servers take llama.cpp's sampling extras; a cloud API may refuse unknown fields.
LOCAL_ENGINES = (Preset.LLAMA_SERVER, Preset.VLLM, Preset.OLLAMA, Preset.LM_STUDIO)


@dataclass(frozen=True)
class Timeouts:
    connect_s: float = 10.0
    stall_s: float = 60.0


class Closer:
    """The sockets of one request, so another thread can cut them (Stop)."""

    def __init__(self) -> None:
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.closed = False

    def add(self, sock: socket.socket | None) -> None:
        with self._lock:
            if sock is not None:
                self._sockets.append(sock)
            if self.closed:
                self._shut(sock)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket | None) -> None:
        if sock is None:
            return
        with contextlib.suppress(OSError):  # already closed, or never connected
            sock.shutdown(socket.SHUT_RDWR)


class _RecordingBackend(httpcore.NetworkBackend):
    def __init__(self, closer: Closer) -> None:
        self._inner = httpcore.SyncBackend()
        self._closer = closer

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        if self._closer.closed:
            raise httpcore.ConnectError("stopped")
        stream = self._inner.connect_tcp(*args, **kwargs)
        self._closer.add(stream.get_extra_info("socket"))
        return stream

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(*args, **kwargs)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def client(
    endpoint: Endpoint, key: str, timeouts: Timeouts, closer: Closer | None = None
) -> httpx.Client:
    transport = httpx.HTTPTransport()
    if closer is not None:
        # httpx takes no network backend of its own; its pool reads this one per connection.
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = _RecordingBackend(closer)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(
        headers=headers,
        transport=transport,
        timeout=httpx.Timeout(
            connect=timeouts.connect_s,
            read=timeouts.stall_s,
            write=timeouts.stall_s,
            pool=timeouts.connect_s,
        ),
    )


def _get_json(http: httpx.Client, url: str, stall_s: float, model: str = "") -> Any:
    try:
        response = http.get(url)
    except httpx.HTTPError as exc:
        raise transport_error(exc, url, streaming=False, stall_s=stall_s) from exc
    if response.status_code >= 400:
        raise status_error(
            response.status_code,
            response.content,
            model=model,
            retry_after=response.headers.get("retry-after"),
        )
    try:
        return response.json()
    except ValueError as exc:
        raise RemoteError(
            f"{url} did not answer with JSON; is it an OpenAI-compatible API? Check that the "
            "base URL ends in /v1.",
            "not-openai",
        ) from exc


def _as_int(value: object) -> int:
    try:
        return max(0, int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def list_models(endpoint: Endpoint, key: str, timeouts: Timeouts) -> list[RemoteModel]:
    """GET /v1/models, with each model's context size when the listing carries it."""
    with client(endpoint, key, timeouts) as http:
        data = _get_json(http, f"{endpoint.base_url}/models", timeouts.stall_s)
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RemoteError(
            f"{endpoint.base_url}/models did not list any models; check that the base URL "
            "ends in /v1.",
            "not-openai",
        )
    models = []
    for item in items:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        meta = item.get("meta")
        size = (
            _as_int(item.get("max_model_len"))  # vLLM
            or _as_int(item.get("context_length"))  # OpenRouter and others
            or (_as_int(meta.get("n_ctx")) if isinstance(meta, dict) else 0)  # desktop-chat serve
        )
        models.append(RemoteModel(str(item["id"]), size))
    return models


def refresh_models(endpoint: Endpoint, key: str, timeouts: Timeouts) -> list[RemoteModel]:
    """Fetch and cache an endpoint's models (the pickers read the cache)."""
    models = list_models(endpoint, key, timeouts)
    remember(endpoint.name, models)
    return models


def _probe_context(http: httpx.Client, endpoint: Endpoint, model: str) -> int:
    """The context size from the server's own API, per engine; 0 when it does not say."""
    root = endpoint.root_url
    if endpoint.preset in (Preset.LLAMA_SERVER, Preset.CLOUD) and not root.startswith("https"):
        data = http.get(f"{root}/props").json()
        settings = data.get("default_generation_settings", {})
        return _as_int(data.get("n_ctx")) or _as_int(settings.get("n_ctx"))
    if endpoint.preset == Preset.OLLAMA:
        data = http.post(f"{root}/api/show", json={"model": model}).json()
        for line in str(data.get("parameters", "")).splitlines():
            name, _, value = line.partition(" ")
            if name == "num_ctx":
                return _as_int(value.strip())
        info = data.get("model_info", {})
        return max(
            (_as_int(v) for k, v in info.items() if k.endswith(".context_length")), default=0
        )
    if endpoint.preset == Preset.LM_STUDIO:
        data = http.get(f"{root}/api/v0/models/{model}").json()
        return _as_int(data.get("loaded_context_length")) or _as_int(data.get("max_context_length"))
    return 0


_context_cache: dict[tuple[str, str], int] = {}


def cached_context(endpoint: Endpoint, model: str) -> int:
    """What the server said this session (0: not asked yet, or it does not say); no network."""
    return _context_cache.get((endpoint.base_url, model), 0)


def context_size(
    endpoint: Endpoint, model: str, key: str, timeouts: Timeouts, default: int
) -> tuple[int, str]:
    """(tokens, where from): the endpoint's own setting, else what the server says, else
    ``default``. Asked once per endpoint and model in a session."""
    if endpoint.context_size > 0:
        return endpoint.context_size, "endpoint"
    cache_key = (endpoint.base_url, model)
    if cache_key in _context_cache:
        cached = _context_cache[cache_key]
        return (cached, "server") if cached else (default, "default")
    size = 0
    quick = Timeouts(timeouts.connect_s, min(timeouts.stall_s, 10.0))
    try:
        models = list_models(endpoint, key, quick)
        size = next((m.context_size for m in models if m.id == model), 0)
        if not size:
            with client(endpoint, key, quick) as http:
                size = _probe_context(http, endpoint, model)
    except (httpx.HTTPError, RemoteError, ValueError, AttributeError, TypeError) as exc:
        log.info("the server did not say its context size (%s)", exc)
    _context_cache[cache_key] = size  # 0 too: a server that does not say is not asked again
    return (size, "server") if size else (default, "default")


@dataclass
class StreamOutcome:
    completion_tokens: int = 0
    prompt_tokens: int = 0  # 0 when the server sent no usage
    finish_reason: str = ""
    ttft_s: float = 0.0
    total_s: float = 0.0
    stopped: bool = False
    usage_tokens: int = 0  # completion tokens the server counted (stream_options usage)
    in_reasoning: bool = False  # the last text was delta.reasoning_content
    # delta.tool_calls by index: {"name", "arguments"}, the arguments streamed in fragments.
    tool_calls: dict[int, dict[str, str]] = field(default_factory=dict)

    def stats(self, fitted_prompt_tokens: int, began: float) -> GenerationStats:
        """The turn's figures as the local engine reports them: speed after the first token,
        and why it stopped; prompt tokens from the server, or our own count without usage."""
        stats = GenerationStats(
            prompt_tokens=self.prompt_tokens or fitted_prompt_tokens,
            completion_tokens=self.completion_tokens,
            ttft_s=self.ttft_s,
            total_s=time.monotonic() - began,
        )
        generating = self.total_s - self.ttft_s
        if generating > 0 and self.completion_tokens > 1:
            stats.tokens_per_s = (self.completion_tokens - 1) / generating
        if self.stopped:
            stats.stop_reason = StopReason.STOPPED
        elif self.finish_reason == "length":
            stats.stop_reason = StopReason.LENGTH
        return stats


def request_body(
    endpoint: Endpoint,
    model: str,
    messages: list[ChatMessage],
    gen: GenParams,
    tools: list[dict[str, Any]] | None = None,
    tool_choice: str = "",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "messages": [remote_tools.api_message(m) for m in messages],
        "stream": True,
        "max_tokens": gen.max_tokens,
        "temperature": gen.temperature,
        "top_p": gen.top_p,
        "stream_options": {"include_usage": True},
    }
    if gen.seed >= 0:
        body["seed"] = gen.seed
    if gen.stop:
        body["stop"] = list(gen.stop)
    if endpoint.preset in LOCAL_ENGINES:
        body.update(top_k=gen.top_k, min_p=gen.min_p, repeat_penalty=gen.repeat_penalty)
    if tools:
        body["tools"] = tools
        if tool_choice:
            body["tool_choice"] = tool_choice
    return body


def stream_chat(
    endpoint: Endpoint,
    key: str,
    body: dict[str, Any],
    timeouts: Timeouts,
    on_text: Callable[[str], None],
    abort: threading.Event,
    closer: Closer,
) -> StreamOutcome:
    """POST /v1/chat/completions with stream=true; ``on_text`` gets each piece of the answer.

    Returns with ``stopped`` set when ``abort`` was set (the stream is closed); raises
    RemoteError (a sentence) for a fault. A stream that ends without its finish is a cut.
    """
    url = f"{endpoint.base_url}/chat/completions"
    outcome = StreamOutcome()
    began = time.monotonic()
    got_text = False
    try:
        with (
            client(endpoint, key, timeouts, closer) as http,
            http.stream("POST", url, json=body) as response,
        ):
            if response.status_code >= 400:
                raise status_error(
                    response.status_code,
                    response.read(),
                    model=str(body.get("model", "")),
                    retry_after=response.headers.get("retry-after"),
                )
            done = False
            for line in response.iter_lines():
                if abort.is_set():
                    break
                if not line.startswith("data:"):
                    continue  # SSE comments (": ping") and event names
                payload = line[5:].strip()
                if payload == "[DONE]":
                    done = True
                    break
                event = _parse_event(payload)
                text = _apply_event(event, outcome)
                if text:
                    if not got_text:
                        outcome.ttft_s = time.monotonic() - began
                        got_text = True
                    outcome.completion_tokens += 1
                    on_text(text)
            calls = remote_tools.calls_text(outcome.tool_calls) if not abort.is_set() else ""
            if calls:
                if outcome.in_reasoning:
                    calls, outcome.in_reasoning = "</think>" + calls, False
                outcome.ttft_s = outcome.ttft_s or time.monotonic() - began
                got_text = True
                on_text(calls)
            if not done and not outcome.finish_reason and not abort.is_set():
                raise RemoteError(
                    f"The connection to {endpoint.base_url} was cut while the answer was "
                    "streaming; what arrived is kept, marked incomplete. Press Continue or "
                    "Regenerate once the server is back.",
                    "cut",
                )
    except httpx.HTTPError as exc:
        if not abort.is_set():
            raise transport_error(exc, url, streaming=got_text, stall_s=timeouts.stall_s) from exc
    outcome.total_s = time.monotonic() - began
    # A chunk is about one token on llama.cpp and vLLM; the server's own count wins.
    outcome.completion_tokens = outcome.usage_tokens or outcome.completion_tokens
    outcome.stopped = abort.is_set()
    return outcome


def _parse_event(payload: str) -> dict[str, Any]:
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise RemoteError(
            "The server sent something that is not an OpenAI-compatible stream; check the "
            "endpoint's address and preset.",
            "not-openai",
        ) from exc
    if not isinstance(event, dict):
        return {}
    if isinstance(event.get("error"), dict | str):  # an error sent inside the stream
        error = event["error"]
        message = error.get("message", "") if isinstance(error, dict) else error
        raise RemoteError(
            f"The server stopped the answer with an error: {str(message)[:200]}. Try again, "
            "or look at the server's log.",
            "server",
        )
    return event


def _apply_event(event: dict[str, Any], outcome: StreamOutcome) -> str:
    usage = event.get("usage")
    if isinstance(usage, dict):
        outcome.prompt_tokens = _as_int(usage.get("prompt_tokens")) or outcome.prompt_tokens
        outcome.usage_tokens = _as_int(usage.get("completion_tokens")) or outcome.usage_tokens
    text = ""
    for choice in event.get("choices") or ():
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta") or {}
        piece = delta.get("content") if isinstance(delta, dict) else None
        # llama-server, vLLM and LM Studio send a thinking model's reasoning apart; it goes on
        # inside think tags, so the chat splits it from the answer like a local model's.
        thought = (
            delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(delta, dict)
            else None
        )
        if isinstance(thought, str) and thought:
            text += thought if outcome.in_reasoning else "<think>" + thought
            outcome.in_reasoning = True
        if isinstance(piece, str):
            if piece and outcome.in_reasoning:
                text += "</think>"
                outcome.in_reasoning = False
            text += piece
        if isinstance(delta, dict) and isinstance(delta.get("tool_calls"), list):
            remote_tools.add_fragments(delta["tool_calls"], outcome.tool_calls)
        if choice.get("finish_reason"):
            outcome.finish_reason = str(choice["finish_reason"])
    return text
