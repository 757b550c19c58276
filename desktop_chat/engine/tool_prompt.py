"""Tools in a local prompt: through the model's own template where it renders tools, else as a
Hermes tool block in the system prompt with calls and results written out as plain turns."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from desktop_chat.engine.types import ChatMessage

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
# Small models otherwise explain the JSON instead of answering with it.
_NUDGE = "\nAnswer my question with this result."
# A template that reads the variable, not one that merely says the word in its text.
_USES_TOOLS = re.compile(r"\{[{%][^}]*\btools\b")


def handles_tools(source: str) -> bool:
    """The chat template renders ``tools=`` itself (Qwen2.5/3, Llama 3.1+, Mistral, Hermes)."""
    return bool(_USES_TOOLS.search(source))


def parse_tools(tools: str) -> list[dict[str, Any]]:
    if not tools:
        return []
    value = json.loads(tools)
    return [t for t in value if isinstance(t, dict)] if isinstance(value, list) else []


def system_block(tools: Sequence[dict[str, Any]]) -> str:
    return _INSTRUCTIONS.format(tools="\n".join(json.dumps(t, ensure_ascii=False) for t in tools))


def with_tools(system: str, tools: Sequence[dict[str, Any]]) -> str:
    block = system_block(tools)
    return f"{system.rstrip()}\n\n{block}" if system.strip() else block


def _call_json(name: str, arguments: str) -> str:
    return f'{{"name": {json.dumps(name, ensure_ascii=False)}, "arguments": {arguments}}}'


def call_text(message: ChatMessage) -> str:
    """The assistant's turn as plain text: its words, then each call as a <tool_call> block."""
    blocks = [
        f"<tool_call>\n{_call_json(c.name, c.arguments)}\n</tool_call>" for c in message.tool_calls
    ]
    return "\n".join([message.content.strip(), *blocks]).strip()


def results_text(results: Sequence[ChatMessage]) -> str:
    """Tool results as the user turn Qwen's template writes for role "tool"."""
    blocks = [
        "<tool_response>\n"
        + json.dumps({"name": m.name, "content": m.content}, ensure_ascii=False)
        + "\n</tool_response>"
        for m in results
    ]
    return "\n".join(blocks) + _NUDGE


def flatten(
    system: str, history: Sequence[ChatMessage], tools: Sequence[dict[str, Any]]
) -> tuple[str, tuple[ChatMessage, ...]]:
    """System prompt and history for a format without tools: the tool block in the system
    prompt, calls as assistant text, each run of results as one user turn."""
    out: list[ChatMessage] = []
    pending: list[ChatMessage] = []
    for message in history:
        if message.role == "tool":
            pending.append(message)
            continue
        if pending:
            out.append(ChatMessage("user", results_text(pending)))
            pending = []
        if message.tool_calls:
            out.append(ChatMessage(message.role, call_text(message)))
        else:
            out.append(message)
    if pending:
        out.append(ChatMessage("user", results_text(pending)))
    return (with_tools(system, tools) if tools else system), tuple(out)


def needs_flattening(history: Sequence[ChatMessage]) -> bool:
    return any(m.role == "tool" or m.tool_calls for m in history)


def template_message(message: ChatMessage) -> dict[str, Any]:
    """A message in the shape Hugging Face chat templates read (arguments as a mapping)."""
    item: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        item["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": _arguments(c.arguments)},
            }
            for c in message.tool_calls
        ]
    if message.role == "tool":
        item["name"] = message.name
        item["tool_call_id"] = message.tool_call_id
    return item


def _arguments(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
