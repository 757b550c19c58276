"""OpenAI function tools on our API: the request's tools, tool_choice and tool messages checked,
and the model's answer read for calls (tools/call_parser) and shaped as ``tool_calls``."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop_chat.engine.json_schema import SchemaError, load_schema
from desktop_chat.engine.types import ChatMessage, ToolCallRef
from desktop_chat.server.errors import bad_param
from desktop_chat.tools import offer
from desktop_chat.tools.call_parser import CallParser, parse_forced
from desktop_chat.tools.specs import ToolCall, ToolSpec

MAX_TOOLS = 128
# Small models go on to write the tool's answer themselves after a call: stop them there.
STOP_AFTER_CALL = "</tool_response>"


@dataclass(frozen=True)
class ToolOffer:
    """The tools a request offers: JSON for ChatRequest.tools, and whether a call is forced."""

    tools: str = ""  # "" when none are offered (no tools, or tool_choice "none")
    forced_schema: str | None = None  # "required" / a named function: the call's JSON Schema

    @property
    def active(self) -> bool:
        return bool(self.tools)


def _spec(item: Any, index: int) -> ToolSpec:
    where = f"tools[{index}]"
    if not isinstance(item, dict) or item.get("type") != "function":
        raise bad_param(where, 'Each tool must be {"type": "function", "function": {...}}.')
    function = item.get("function")
    name = function.get("name") if isinstance(function, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise bad_param(f"{where}.function.name", "Each function tool needs a name.")
    assert isinstance(function, dict)
    description = function.get("description", "")
    if not isinstance(description, str):
        raise bad_param(f"{where}.function.description", "A description must be text.")
    parameters = function.get("parameters", {"type": "object", "properties": {}})
    if not isinstance(parameters, dict):
        raise bad_param(
            f"{where}.function.parameters", "A function's parameters must be a JSON Schema object."
        )
    return ToolSpec(name, description, parameters, server="api")


def parse_offer(body: dict[str, Any]) -> ToolOffer:
    """``tools`` and ``tool_choice`` as the OpenAI API takes them; raises ApiError (400)."""
    tools = body.get("tools")
    choice = body.get("tool_choice")
    if tools is None:
        if choice not in (None, "none", "auto"):
            raise bad_param("tool_choice", "'tool_choice' needs 'tools' to choose from.")
        return ToolOffer()
    if not isinstance(tools, list) or len(tools) > MAX_TOOLS:
        raise bad_param("tools", f"'tools' must be a list of up to {MAX_TOOLS} function tools.")
    specs = [_spec(item, index) for index, item in enumerate(tools)]
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise bad_param("tools", "Each tool's name must be different.")
    if not specs or choice == "none":
        return ToolOffer()
    functions = offer.functions(specs)
    if choice in (None, "auto"):
        return ToolOffer(functions)
    if choice == "required":
        return ToolOffer(functions, _schema(specs))
    named = choice.get("function") if isinstance(choice, dict) else None
    name = named.get("name") if isinstance(named, dict) else None
    if not isinstance(choice, dict) or choice.get("type") != "function" or not name:
        raise bad_param(
            "tool_choice",
            '\'tool_choice\' must be "auto", "none", "required" or '
            '{"type": "function", "function": {"name": ...}}.',
        )
    chosen = [spec for spec in specs if spec.name == name]
    if not chosen:
        raise bad_param("tool_choice", f"'tool_choice' names '{name}', which is not in 'tools'.")
    return ToolOffer(functions, _schema(chosen))


def _schema(specs: list[ToolSpec]) -> str:
    schema = offer.call_schema(specs)
    try:
        load_schema(schema)
    except SchemaError as error:
        raise bad_param("tools", f"A tool's parameters cannot constrain a call: {error}") from None
    return schema


def assistant_calls(message: dict[str, Any], index: int) -> tuple[ToolCallRef, ...]:
    """An assistant message's ``tool_calls`` as the engine's history carries them."""
    calls = message.get("tool_calls")
    if calls is None:
        return ()
    where = f"messages[{index}].tool_calls"
    if not isinstance(calls, list):
        raise bad_param(where, "'tool_calls' must be a list.")
    refs = []
    for position, call in enumerate(calls):
        function = call.get("function") if isinstance(call, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(name, str) or not name:
            raise bad_param(f"{where}[{position}]", "Each tool call needs a function name.")
        assert isinstance(function, dict) and isinstance(call, dict)
        arguments = function.get("arguments", "{}")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        refs.append(ToolCallRef(str(call.get("id") or _new_id()), name, arguments or "{}"))
    return tuple(refs)


def tool_message(message: dict[str, Any], text: str, history: list[ChatMessage]) -> ChatMessage:
    """A role "tool" result; its tool's name comes from the call it answers."""
    call_id = message.get("tool_call_id", "")
    call_id = call_id if isinstance(call_id, str) else ""
    name = message.get("name") if isinstance(message.get("name"), str) else ""
    for earlier in reversed(history):
        for call in earlier.tool_calls:
            if call.id == call_id and not name:
                name = call.name
    return ChatMessage("tool", text, name=name or "tool", tool_call_id=call_id)


def _new_id() -> str:
    # 9 alphanumerics: Mistral's templates refuse any other shape of call id.
    return uuid.uuid4().hex[:9]


@dataclass
class CallReader:
    """Reads a streamed answer for calls: ``feed`` returns the text certain to be content."""

    forced: bool
    parser: CallParser = field(default_factory=CallParser)
    held: list[str] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)

    def feed(self, piece: str) -> str:
        if self.forced:  # a grammar-forced call is read whole at the end
            self.held.append(piece)
            return ""
        return self.parser.feed(piece)

    def finish(self) -> str:
        """The answer ended: the calls found, and the text still to be shown (malformed
        calls come back as text, so a client reads them as plain content)."""
        if self.forced:
            text = "".join(self.held)
            self.calls = parse_forced(text) or []
            return "" if self.calls else text
        tail = self.parser.finish()
        self.calls = list(self.parser.calls)
        return tail


def shaped_calls(calls: list[ToolCall], streamed: bool = False) -> list[dict[str, Any]]:
    """Calls as OpenAI answers them; streamed, each carries its index too."""
    shaped = []
    for index, call in enumerate(calls):
        item: dict[str, Any] = {
            "id": _new_id(),
            "type": "function",
            "function": {
                "name": call.name,
                "arguments": json.dumps(call.arguments, ensure_ascii=False),
            },
        }
        if streamed:
            item["index"] = index
        shaped.append(item)
    return shaped
