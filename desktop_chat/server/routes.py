"""The ASGI app: OpenAI-compatible routes, API-key check, body limit, errors as error objects."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from desktop_chat.engine.reasoning import Piece, ReasoningSplitter
from desktop_chat.engine.types import GenerationStats, GenParams, ModelInfo
from desktop_chat.engine.worker import TextRequest
from desktop_chat.server import knowledge
from desktop_chat.server.bridge import EngineBridge, Event, Generation, QueueFull
from desktop_chat.server.config import ServerConfig
from desktop_chat.server.embeddings import available as embeddings_available
from desktop_chat.server.embeddings import embed as embed_texts
from desktop_chat.server.embeddings import model_entry as embedding_model
from desktop_chat.server.errors import ApiError
from desktop_chat.server.protocol import (
    Parsed,
    Shaper,
    engine_failure,
    finish_reason,
    parse_chat,
    parse_completion,
)
from desktop_chat.server.request_body import read_json
from desktop_chat.server.request_log import RequestLog
from desktop_chat.server.tool_calls import CallReader, shaped_calls

log = logging.getLogger(__name__)

RETRY_AFTER_S = 2
OPEN_PATHS = frozenset({"/health"})


class ClientGone(Exception):
    """The client hung up before its answer was ready."""


def model_id(info: ModelInfo) -> str:
    return info.path.name.removesuffix(".gguf").removesuffix(".GGUF")


@dataclass
class ServerContext:
    bridge: EngineBridge
    config: ServerConfig
    request_log: RequestLog
    defaults: Callable[[], GenParams]


class ApiKeyMiddleware:
    """Bearer auth on every route but /health whenever a key is set (constant-time compare)."""

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app = app
        self.key = key.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.key or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                if scheme.lower() == b"bearer":
                    given = token.strip()
        if not hmac.compare_digest(given, self.key):
            error = ApiError(
                401,
                "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.",
                code="invalid_api_key",
                headers={"WWW-Authenticate": "Bearer"},
            )
            await error.response()(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _resolve_model(context: ServerContext, name: str) -> str:
    info = context.bridge.model()
    if info is None:
        raise ApiError(
            503,
            "No model is loaded yet. Load one in the app's Models pane, or start the server "
            "with desktop-chat serve --model FILE.gguf.",
            kind="server_error",
            code="model_not_loaded",
        )
    known = {model_id(info), info.path.name, info.name}
    if name and name not in known:
        raise ApiError(
            404,
            f"The model '{name}' is not available here; GET /v1/models lists the loaded one "
            f"('{model_id(info)}').",
            param="model",
            code="model_not_found",
        )
    return model_id(info)


async def _wait_disconnect(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


class _Answer:
    """One request's answer from the engine, with what the request log records."""

    def __init__(self, context: ServerContext, request: Request, parsed: Parsed, kind: str):
        self.context = context
        self.request = request
        self.parsed = parsed
        self.endpoint = request.url.path
        self.shaper = Shaper(kind, _resolve_model(context, parsed.model))
        self.began = time.perf_counter()
        self.queued_s = 0.0
        self.text: list[str] = []
        # A chat answer's reasoning goes apart (reasoning_content); a text completion is raw.
        self.splitter = ReasoningSplitter() if kind == "chat" else None
        self.piece = Piece()
        # Tools offered: the answer is read for calls; what is not a call is the content.
        offer = parsed.tool_offer
        self.reader = CallReader(offer.forced_schema is not None) if offer.active else None
        self.content: list[str] = []
        self.client_gone = False
        # With a knowledge base (server.knowledge): its passages, shown after the answer.
        self.citations: list[dict[str, Any]] | None = None
        try:
            self.generation: Generation = context.bridge.start(parsed.engine_request)
        except QueueFull:
            self.record(429, "refused", None)
            raise ApiError(
                429,
                "The model is busy with other requests. Try again in a moment.",
                kind="rate_limit_error",
                code="rate_limit_exceeded",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            ) from None
        self.generation.on_end = self._on_end
        self.events: AsyncIterator[Event] = self.generation.events()

    async def next_event(self) -> Event:
        """The next event; raises ClientGone (the generation stopped) if the client hangs up."""
        watcher = asyncio.ensure_future(_wait_disconnect(self.request))
        step = asyncio.ensure_future(anext(self.events))
        try:
            done, _ = await asyncio.wait({watcher, step}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
        if step not in done:
            step.cancel()
            self.hang_up()
            raise ClientGone()
        return self.take(step.result())

    def take(self, event: Event) -> Event:
        if event.kind == "started":
            self.queued_s = time.perf_counter() - self.began
            if self.splitter is not None and getattr(event.value, "opens_thinking", False):
                self.splitter.open()
        elif event.kind == "chunk":
            self.text.append(event.value)
            self.piece = self.splitter.feed(event.value) if self.splitter else Piece(event.value)
            self._read_calls(False)
        elif event.terminal and self.splitter is not None:
            self.piece = self.splitter.finish()
            self._read_calls(event.kind == "finished")
        return event

    def _read_calls(self, last: bool) -> None:
        """Calls are read in the answer only, never in its reasoning."""
        if self.reader is None:
            return
        piece = self.piece
        if piece.reset:  # the text read so far was reasoning after all: read afresh
            self.reader = CallReader(self.reader.forced)
            self.content = []
        shown = self.reader.feed(piece.answer) + (self.reader.finish() if last else "")
        self.content.append(shown)
        self.piece = Piece(shown, piece.reasoning, piece.reset)

    def calls(self, streamed: bool = False) -> list[dict[str, Any]]:
        return shaped_calls(self.reader.calls, streamed) if self.reader is not None else []

    @property
    def answer(self) -> str:
        if self.reader is not None:
            return "".join(self.content)
        return self.splitter.answer if self.splitter is not None else "".join(self.text)

    def hang_up(self) -> None:
        self.client_gone = True
        self.generation.close()

    def failure(self, event: Event) -> ApiError:
        if event.kind == "cancelled":
            return ApiError(
                503,
                "The answer was stopped: the model was unloaded or changed. Try again.",
                kind="server_error",
                code="cancelled",
            )
        return engine_failure(str(event.value), event.context_full)

    def _on_end(self, event: Event) -> None:
        if self.client_gone:
            self.record(499, "client closed", self.generation.stats)
        elif event.kind == "finished":
            self.record(200, "finished", self.generation.stats)
        else:
            self.record(self.failure(event).status, event.kind, self.generation.stats)

    def record(self, status: int, outcome: str, stats: GenerationStats | None) -> None:
        entry: dict[str, Any] = {
            "endpoint": self.endpoint,
            "model": self.shaper.model,
            "status": status,
            "outcome": outcome,
            "stream": self.parsed.stream,
            "client": self.request.client.host if self.request.client else "",
            "messages": self.parsed.message_count,
            "queued_s": round(self.queued_s, 4),
            "total_s": round(time.perf_counter() - self.began, 4),
        }
        if stats is not None:
            entry.update(
                prompt_tokens=stats.prompt_tokens,
                completion_tokens=stats.completion_tokens,
                ttft_s=round(stats.ttft_s, 4),
                tokens_per_s=round(stats.tokens_per_s, 2),
            )
        request = self.parsed.engine_request
        asked: object = (
            request.prompt
            if isinstance(request, TextRequest)
            else [{"role": m.role, "content": m.content} for m in request.history]
        )
        bodies = {"request": asked, "answer": "".join(self.text)}
        self.context.request_log.write(entry, bodies)


async def _respond(
    context: ServerContext,
    request: Request,
    parsed: Parsed,
    kind: str,
    citations: list[dict[str, Any]] | None = None,
) -> Response:
    answer = _Answer(context, request, parsed, kind)
    answer.citations = citations
    try:
        event = await answer.next_event()
        while event.kind == "started":  # wait for the first token before the status is sent
            event = await answer.next_event()
        if parsed.stream and not event.terminal:
            return EventSourceResponse(_stream(answer, event), ping=15)
        while not event.terminal:
            event = await answer.next_event()
    except ClientGone:
        return Response(status_code=499)
    if event.kind != "finished":
        return answer.failure(event).response()
    if parsed.stream:  # finished before its first token (an empty answer)
        return EventSourceResponse(_stream(answer, event), ping=15)
    reasoning = answer.splitter.reasoning if answer.splitter is not None else ""
    whole = answer.shaper.whole(answer.answer, answer.generation.stats, reasoning, answer.calls())
    if answer.citations is not None:
        whole.update(knowledge.annotated(answer.answer, answer.citations))
    return JSONResponse(whole)


async def _stream(answer: _Answer, event: Event) -> AsyncIterator[dict[str, str]]:
    shaper = answer.shaper
    opened = False
    try:
        while True:
            piece = answer.piece
            # After a reset the reasoning already went out as content: the answer follows.
            reasoning = "" if piece.reset else piece.reasoning
            if (event.kind == "chunk" and not opened) or piece.answer or reasoning:
                chunk = shaper.chunk(piece.answer or None, None, not opened, reasoning)
                yield {"data": json.dumps(chunk)}
                opened = True
                answer.piece = Piece()
            if event.kind == "finished":
                stats = answer.generation.stats
                calls = answer.calls(streamed=True)
                if calls:  # whole calls in one delta: clients join fragments by index anyway
                    chunk = shaper.chunk(None, None, not opened, tool_calls=calls)
                    yield {"data": json.dumps(chunk)}
                    opened = True
                finish = "tool_calls" if calls else finish_reason(stats)
                last = shaper.chunk(None, finish, not opened)
                if answer.citations is not None:  # known once the whole answer is
                    last.update(knowledge.annotated(answer.answer, answer.citations))
                yield {"data": json.dumps(last)}
                if answer.parsed.include_usage:
                    yield {"data": json.dumps(shaper.usage_chunk(stats))}
                yield {"data": "[DONE]"}
                return
            elif event.terminal:  # failed midway: OpenAI sends an error object in the stream
                yield {"data": json.dumps(answer.failure(event).body())}
                return
            event = answer.take(await anext(answer.events))
    except (asyncio.CancelledError, GeneratorExit):
        answer.hang_up()  # sse-starlette cancels us when the client disconnects
        raise
    finally:
        answer.generation.close()


def build_app(context: ServerContext) -> Starlette:
    async def chat_completions(request: Request) -> Response:
        body = await read_json(request, context.config.max_body_bytes)
        parsed = parse_chat(body, context.defaults())
        name = knowledge.requested(body)
        citations: list[dict[str, Any]] = []
        if name is not None:
            parsed, citations = await knowledge.ground(parsed, name)
        return await _respond(context, request, parsed, "chat", citations)

    async def completions(request: Request) -> Response:
        body = await read_json(request, context.config.max_body_bytes)
        return await _respond(context, request, parse_completion(body, context.defaults()), "text")

    async def embeddings(request: Request) -> Response:
        body = await read_json(request, context.config.max_body_bytes)
        return JSONResponse(await embed_texts(body))

    async def models(_request: Request) -> Response:
        info = context.bridge.model()
        data = []
        if info is not None:
            data.append(
                {
                    "id": model_id(info),
                    "object": "model",
                    "created": int(info.path.stat().st_mtime) if info.path.exists() else 0,
                    "owned_by": "desktop-chat",
                    "meta": {"n_ctx": info.n_ctx, "n_ctx_train": info.n_ctx_train},
                }
            )
        if embeddings_available():
            data.append(embedding_model())
        return JSONResponse({"object": "list", "data": data})

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "model_loaded": context.bridge.model() is not None})

    async def on_api_error(_request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return error.response()

    async def on_http_error(_request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        message = {404: "There is no such endpoint.", 405: "This method is not allowed here."}
        return ApiError(
            error.status_code, message.get(error.status_code, str(error.detail)), code=None
        ).response()

    async def on_error(_request: Request, error: Exception) -> Response:
        log.error("server request failed", exc_info=error)
        return ApiError(
            500, "The server failed on this request; details are in its log.", "server_error"
        ).response()

    middleware = []
    if context.config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(context.config.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type"],
            )
        )
    middleware.append(Middleware(ApiKeyMiddleware, key=context.config.api_key))
    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat_completions, methods=["POST"]),
            Route("/v1/completions", completions, methods=["POST"]),
            Route("/v1/embeddings", embeddings, methods=["POST"]),
            Route("/v1/models", models, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ],
        middleware=middleware,
        exception_handlers={
            ApiError: on_api_error,
            HTTPException: on_http_error,
            Exception: on_error,
        },
    )
