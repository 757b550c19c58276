"""Tools over an OpenAI-compatible API: calls and results in the API's message shape, and
the streamed ``delta.tool_calls`` fragments put back together."""

from __future__ import annotations

import json
from typing import Any

from desktop_chat.engine.types import ChatMessage


def api_message(message: ChatMessage) -> dict[str, Any]:
    """A message as the Chat Completions API takes it. A call's content stays "" (not null):
    llama-cpp-python's server refuses null, and templates that concatenate it would fail."""
    item: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        item["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.role == "tool":
        item["tool_call_id"] = message.tool_call_id
    return item


def add_fragments(fragments: list[Any], calls: dict[int, dict[str, str]]) -> None:
    """OpenAI streams a call as its name, then its arguments in pieces, keyed by index."""
    for position, fragment in enumerate(fragments):
        if not isinstance(fragment, dict):
            continue
        index = fragment.get("index", position)
        index = index if isinstance(index, int) else position
        call = calls.setdefault(index, {"name": "", "arguments": ""})
        function = fragment.get("function") or {}
        if not isinstance(function, dict):
            continue
        if isinstance(function.get("name"), str):
            call["name"] += function["name"]
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            call["arguments"] += arguments
        elif isinstance(arguments, dict):  # a few servers send the object whole
            call["arguments"] += json.dumps(arguments, ensure_ascii=False)


def calls_text(calls: dict[int, dict[str, str]]) -> str:
    """The streamed calls as <tool_call> blocks: the markup the chat's call parser reads for
    a local model too, so a remote turn runs the same approval loop."""
    blocks = []
    for index in sorted(calls):
        call = calls[index]
        arguments = call["arguments"].strip() or "{}"
        blocks.append(
            f'<tool_call>\n{{"name": {json.dumps(call["name"], ensure_ascii=False)}, '
            f'"arguments": {arguments}}}\n</tool_call>'
        )
    return "\n".join(blocks)
