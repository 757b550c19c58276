"""OpenAI request bodies checked and turned into engine requests; answers shaped like OpenAI's."""

from __future__ import annotations

import dataclasses
import json
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop_chat.engine.json_schema import SchemaError, load_schema
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenerationStats, GenParams
from desktop_chat.engine.worker import TextRequest
from desktop_chat.server.errors import ApiError, bad_param
from desktop_chat.server.tool_calls import (
    STOP_AFTER_CALL,
    ToolOffer,
    assistant_calls,
    parse_offer,
    tool_message,
)

# Server requests share one cache slot, so the worker keeps the window's chats' caches apart
# from them and consecutive API calls reuse each other's prompt prefix.
API_CONVERSATION_KEY = "api"
ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
MAX_STOP = 4
MAX_TOKENS_LIMIT = 32768


@dataclass(frozen=True)
class Parsed:
    """A checked request: what the engine runs, and how to answer."""

    engine_request: ChatRequest | TextRequest
    model: str
    stream: bool
    include_usage: bool
    message_count: int
    tool_offer: ToolOffer = field(default_factory=ToolOffer)


def _number(body: dict[str, Any], name: str, low: float, high: float, default: float) -> float:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise bad_param(name, f"'{name}' must be a number between {low:g} and {high:g}.")
    if not low <= value <= high:
        raise bad_param(name, f"'{name}' must be between {low:g} and {high:g}; got {value}.")
    return float(value)


def _integer(body: dict[str, Any], name: str, low: int, high: int, default: int) -> int:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_param(name, f"'{name}' must be a whole number.")
    if not low <= value <= high:
        raise bad_param(name, f"'{name}' must be between {low} and {high}; got {value}.")
    return value


def _stop(body: dict[str, Any]) -> tuple[str, ...]:
    value = body.get("stop")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or len(value) > MAX_STOP
        or not all(isinstance(item, str) and item for item in value)
    ):
        raise bad_param("stop", f"'stop' must be a string or a list of up to {MAX_STOP} strings.")
    return tuple(value)


def _gen(body: dict[str, Any], defaults: GenParams) -> GenParams:
    if _integer(body, "n", 1, 1, 1) != 1:
        raise bad_param("n", "Only n=1 is supported.")
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    name = "max_completion_tokens" if "max_completion_tokens" in body else "max_tokens"
    return GenParams(
        max_tokens=_integer({name: max_tokens}, name, 1, MAX_TOKENS_LIMIT, defaults.max_tokens),
        temperature=_number(body, "temperature", 0.0, 2.0, defaults.temperature),
        top_p=_number(body, "top_p", 0.0, 1.0, defaults.top_p),
        top_k=defaults.top_k,
        min_p=defaults.min_p,
        repeat_penalty=defaults.repeat_penalty,
        seed=_integer(body, "seed", -(2**63), 2**63 - 1, -1) % (2**32)
        if body.get("seed") is not None
        else -1,
        stop=_stop(body),
    )


def _stream_flags(body: dict[str, Any]) -> tuple[bool, bool]:
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise bad_param("stream", "'stream' must be true or false.")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise bad_param("stream_options", "'stream_options' must be an object.")
    return stream, bool(options.get("include_usage", False))


def _content(message: dict[str, Any], index: int) -> str:
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: only text is understood here
        parts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise bad_param(
                    f"messages[{index}].content", "Only text content parts are supported."
                )
            parts.append(str(part.get("text", "")))
        return "".join(parts)
    raise bad_param(f"messages[{index}].content", "A message's content must be text.")


def _model(body: dict[str, Any]) -> str:
    model = body.get("model", "")
    if not isinstance(model, str):
        raise bad_param("model", "'model' must be a string.")
    return model


def _json_schema(body: dict[str, Any]) -> str | None:
    """response_format as OpenAI and LM Studio take it: text, json_object or json_schema."""
    fmt = body.get("response_format")
    if fmt is None:
        return None
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind not in ("text", "json_object", "json_schema"):
        raise bad_param(
            "response_format",
            '\'response_format\' must be {"type": "text"}, {"type": "json_object"} or '
            '{"type": "json_schema", "json_schema": {"name": ..., "schema": {...}}}.',
        )
    if kind == "text":
        return None
    if kind == "json_object":
        return '{"type": "object"}'
    spec = fmt.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, dict) else None
    if not isinstance(schema, dict):
        raise bad_param(
            "response_format.json_schema.schema",
            "'json_schema.schema' must be a JSON Schema object.",
        )
    text = json.dumps(schema)
    try:
        load_schema(text)
    except SchemaError as error:
        raise bad_param("response_format.json_schema.schema", str(error)) from None
    return text


def parse_chat(body: dict[str, Any], defaults: GenParams) -> Parsed:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_param("messages", "'messages' must be a non-empty list of messages.")
    system: list[str] = []
    history: list[ChatMessage] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise bad_param(f"messages[{index}]", "Each message must be an object.")
        role = message.get("role")
        if role not in ROLES:
            raise bad_param(
                f"messages[{index}].role",
                "A message's role must be system, developer, user, assistant or tool.",
            )
        text = _content(message, index)
        if role in ("system", "developer") and not history:
            system.append(text)  # leading instructions become the system prompt
        elif role == "tool":  # the client ran a call (we never run tools) and sends its result
            history.append(tool_message(message, text, history))
        elif role == "assistant":
            history.append(ChatMessage(role, text, tool_calls=assistant_calls(message, index)))
        else:
            history.append(ChatMessage("system" if role == "developer" else role, text))
    if not history:
        raise bad_param("messages", "'messages' needs at least one user message.")
    stream, usage = _stream_flags(body)
    tools = parse_offer(body)
    gen = _gen(body, defaults)
    if tools.active:
        gen = dataclasses.replace(gen, stop=(*gen.stop, STOP_AFTER_CALL))
    schema = _json_schema(body)
    if tools.forced_schema is not None:
        if schema is not None:
            raise bad_param(
                "tool_choice", "A forced tool call cannot also follow 'response_format'."
            )
        schema = tools.forced_schema
    request = ChatRequest(
        history=tuple(history),
        system="\n\n".join(system),
        gen=gen,
        policy="ask",  # an API caller is told its prompt is too long, never silently cut
        conversation_key=API_CONVERSATION_KEY,
        json_schema=schema,
        tools=tools.tools,
        # An assistant message sent last is resumed, as llama.cpp's llama-server does (a
        # prefill): the answer streams on from where that message stops.
        continue_last=history[-1].role == "assistant" and not history[-1].tool_calls,
    )
    return Parsed(request, _model(body), stream, usage, len(messages), tools)


def parse_completion(body: dict[str, Any], defaults: GenParams) -> Parsed:
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise bad_param("prompt", "'prompt' must be a string.")
    stream, usage = _stream_flags(body)
    request = TextRequest(prompt, _gen(body, defaults), API_CONVERSATION_KEY)
    return Parsed(request, _model(body), stream, usage, 1)


def finish_reason(stats: GenerationStats) -> str:
    return "length" if str(stats.stop_reason) == "length" else "stop"


def usage(stats: GenerationStats) -> dict[str, int]:
    return {
        "prompt_tokens": stats.prompt_tokens,
        "completion_tokens": stats.completion_tokens,
        "total_tokens": stats.prompt_tokens + stats.completion_tokens,
    }


class Shaper:
    """Builds one answer's response objects (the same id and creation time in every chunk)."""

    def __init__(self, kind: str, model: str) -> None:
        self.kind = kind  # "chat" or "text"
        self.model = model
        self.id = ("chatcmpl-" if kind == "chat" else "cmpl-") + uuid.uuid4().hex[:24]
        self.created = int(time.time())

    def _envelope(self, obj: str) -> dict[str, Any]:
        return {"id": self.id, "object": obj, "created": self.created, "model": self.model}

    def whole(
        self,
        text: str,
        stats: GenerationStats,
        reasoning: str = "",
        tool_calls: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        if self.kind == "chat":
            message: dict[str, Any] = {"role": "assistant", "content": text}
            if reasoning:  # as LM Studio and llama-server return a thinking model's reasoning
                message["reasoning_content"] = reasoning
            if tool_calls:  # as OpenAI answers a call: no content unless the model wrote some
                message["content"] = text.strip() or None
                message["tool_calls"] = tool_calls
            choice: dict[str, Any] = {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if tool_calls else finish_reason(stats),
            }
            body = self._envelope("chat.completion")
        else:
            choice = {"index": 0, "text": text, "logprobs": None}
            choice["finish_reason"] = finish_reason(stats)
            body = self._envelope("text_completion")
        body["choices"] = [choice]
        body["usage"] = usage(stats)
        return body

    def chunk(
        self,
        text: str | None,
        finish: str | None,
        first: bool = False,
        reasoning: str = "",
        tool_calls: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        if self.kind == "chat":
            delta: dict[str, Any] = {}
            if first:
                delta["role"] = "assistant"
            if reasoning:
                delta["reasoning_content"] = reasoning
            if text is not None:
                delta["content"] = text
            if tool_calls:
                delta["tool_calls"] = tool_calls
            choice: dict[str, Any] = {"index": 0, "delta": delta, "logprobs": None}
            body = self._envelope("chat.completion.chunk")
        else:
            choice = {"index": 0, "text": text or "", "logprobs": None}
            body = self._envelope("text_completion")
        choice["finish_reason"] = finish
        body["choices"] = [choice]
        return body

    def usage_chunk(self, stats: GenerationStats) -> dict[str, Any]:
        kind = "chat.completion.chunk" if self.kind == "chat" else "text_completion"
        body = self._envelope(kind)
        body["choices"] = []
        body["usage"] = usage(stats)
        return body


def engine_failure(message: str, context_full: bool) -> ApiError:
    """A sentence from the engine as the error it is: too long a prompt is the caller's."""
    if context_full:
        return ApiError(400, message, param="messages", code="context_length_exceeded")
    return ApiError(500, message, kind="server_error", code="engine_error")
