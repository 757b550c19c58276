"""Offering tools to a model: the function list a request carries, the schema that forces a
call through llama.cpp's grammar, and how calls and results enter the history."""

from __future__ import annotations

import json
from collections.abc import Iterable

from desktop_chat.engine.types import ChatMessage, ToolCallRef
from desktop_chat.tools.specs import ToolCall, ToolOutcome, ToolSpec


def functions(specs: Iterable[ToolSpec]) -> str:
    """The offer as ChatRequest.tools carries it: OpenAI function tools, as JSON text. The
    engine renders it through the model's template, or as a Hermes block where it has none."""
    return json.dumps([spec.as_function() for spec in specs], ensure_ascii=False)


def call_id(index: int) -> str:
    """The id of a turn's ``index``-th call: 9 alphanumerics, as Mistral's templates demand."""
    return f"call{index:05d}"


def call_message(first: int, calls: Iterable[ToolCall], text: str = "") -> ChatMessage:
    """The assistant's turn as the next prompt gets it: its text and its calls (the turn's
    calls ``first`` onwards)."""
    refs = tuple(
        ToolCallRef(call_id(first + i), c.name, json.dumps(c.arguments, ensure_ascii=False))
        for i, c in enumerate(calls)
    )
    return ChatMessage("assistant", text.strip(), tool_calls=refs)


def result_messages(first: int, outcomes: Iterable[ToolOutcome]) -> list[ChatMessage]:
    """One role "tool" message per outcome, answering the call of the same position."""
    return [
        ChatMessage("tool", o.for_model(), name=o.call.name, tool_call_id=call_id(first + i))
        for i, o in enumerate(outcomes)
    ]


def call_schema(specs: Iterable[ToolSpec]) -> str:
    """A JSON Schema of exactly one call to one of ``specs`` (for --tool-choice required)."""
    variants = []
    for spec in specs:
        parameters = dict(spec.parameters or {"type": "object", "properties": {}})
        parameters.pop("title", None)
        parameters.setdefault("type", "object")
        variants.append(
            {
                "type": "object",
                "properties": {"name": {"const": spec.name}, "arguments": parameters},
                "required": ["name", "arguments"],
            }
        )
    schema = variants[0] if len(variants) == 1 else {"oneOf": variants}
    return json.dumps(schema, ensure_ascii=False)
