"""Offering tools to a model: the Hermes/Qwen tool block for the system prompt, the schema
that forces a call through llama.cpp's grammar, and how calls and results enter the history."""

from __future__ import annotations

import json
from collections.abc import Iterable

from desktop_chat.tools.specs import ToolCall, ToolOutcome, ToolSpec

# Qwen2.5/3 and Hermes templates write exactly this when given tools=; models trained on
# either answer with <tool_call> blocks, and so do most chat models shown it in the prompt.
_INSTRUCTIONS = (
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
    "{tools}\n</tools>\n\n"
    "For each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n"
    '{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call>'
)


def system_block(specs: Iterable[ToolSpec]) -> str:
    tools = "\n".join(json.dumps(spec.as_function(), ensure_ascii=False) for spec in specs)
    return _INSTRUCTIONS.format(tools=tools)


def with_tools(system: str, specs: Iterable[ToolSpec]) -> str:
    block = system_block(specs)
    return f"{system.rstrip()}\n\n{block}" if system.strip() else block


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


def call_message(calls: Iterable[ToolCall], text: str = "") -> str:
    """The assistant's turn as the next prompt shows it: its text and its calls."""
    blocks = [
        "<tool_call>\n"
        + json.dumps({"name": c.name, "arguments": c.arguments}, ensure_ascii=False)
        + "\n</tool_call>"
        for c in calls
    ]
    return "\n".join([text.strip(), *blocks]).strip()


def results_message(outcomes: Iterable[ToolOutcome]) -> str:
    """The results as the user turn Qwen's template writes for role "tool", and a nudge: small
    models otherwise explain the JSON instead of answering with it."""
    return (
        "\n".join(
            f"<tool_response>\n{json.dumps({'name': o.call.name, 'content': o.for_model()}, ensure_ascii=False)}\n</tool_response>"
            for o in outcomes
        )
        + "\nAnswer my question with this result."
    )
