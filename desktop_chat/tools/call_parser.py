"""Tool calls in a model's streamed text, found wherever the stream is split.

Formats: Qwen/Hermes ``<tool_call>{json}</tool_call>`` (several = parallel calls), Mistral
``[TOOL_CALLS][{json}, …]``, Llama 3.x ``<|python_tag|>{json}`` and a bare JSON object the
grammar forced. Text inside ``<think>`` blocks is never read as a call. A call whose JSON does
not parse is given back as text with a note instead of raising.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop_chat.tools.specs import ToolCall

_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"
_HERMES_OPEN, _HERMES_CLOSE = "<tool_call>", "</tool_call>"
_MISTRAL = "[TOOL_CALLS]"
_LLAMA = "<|python_tag|>"
_MARKERS = (_THINK_OPEN, _HERMES_OPEN, _MISTRAL, _LLAMA)


@dataclass(frozen=True)
class Malformed:
    raw: str
    note: str


class CallParser:
    """Feed text pieces; ``text`` is what the user reads, ``calls`` the calls found."""

    def __init__(self) -> None:
        self._buffer = ""
        self._mode = "text"  # text | think | hermes | tail (Mistral, Llama: to the end)
        self._tail_marker = ""
        self.calls: list[ToolCall] = []
        self.malformed: list[Malformed] = []
        self._text: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self._text)

    def feed(self, piece: str) -> str:
        """Take a piece of the stream; returns the text that is now certain to be shown."""
        self._buffer += piece
        shown: list[str] = []
        while True:
            if self._mode == "text":
                index, marker = _first_marker(self._buffer)
                if marker is None:
                    keep = _partial_suffix(self._buffer)
                    shown.append(self._buffer[: len(self._buffer) - keep])
                    self._buffer = self._buffer[len(self._buffer) - keep :]
                    break
                shown.append(self._buffer[:index])
                self._buffer = self._buffer[index + len(marker) :]
                if marker == _THINK_OPEN:
                    shown.append(marker)
                    self._mode = "think"
                elif marker == _HERMES_OPEN:
                    self._mode = "hermes"
                else:
                    self._mode, self._tail_marker = "tail", marker
            elif self._mode == "think":
                index = self._buffer.find(_THINK_CLOSE)
                if index < 0:
                    keep = _partial_suffix(self._buffer, (_THINK_CLOSE,))
                    shown.append(self._buffer[: len(self._buffer) - keep])
                    self._buffer = self._buffer[len(self._buffer) - keep :]
                    break
                end = index + len(_THINK_CLOSE)
                shown.append(self._buffer[:end])
                self._buffer = self._buffer[end:]
                self._mode = "text"
            elif self._mode == "hermes":
                index = self._buffer.find(_HERMES_CLOSE)
                if index < 0:
                    break
                self._take(self._buffer[:index], _HERMES_OPEN, _HERMES_CLOSE, shown)
                self._buffer = self._buffer[index + len(_HERMES_CLOSE) :]
                self._mode = "text"
            else:  # tail formats run to the end of the answer
                break
        out = "".join(shown)
        self._text.append(out)
        return out

    def finish(self) -> str:
        """The stream ended: whatever is still held is settled; returns text newly shown."""
        shown: list[str] = []
        rest, self._buffer = self._buffer, ""
        if self._mode == "hermes":
            self._take(rest, _HERMES_OPEN, "", shown)
        elif self._mode == "tail":
            self._take(rest, self._tail_marker, "", shown)
        else:
            shown.append(rest)
        self._mode = "text"
        out = "".join(shown)
        self._text.append(out)
        return out

    def _take(self, body: str, opener: str, closer: str, shown: list[str]) -> None:
        calls = parse_calls(body)
        if calls is None:
            raw = f"{opener}{body}{closer}"
            self.malformed.append(
                Malformed(
                    raw,
                    "The model wrote a tool call that is not valid JSON; it is shown as text and was not run.",
                )
            )
            shown.append(raw)
            return
        self.calls.extend(calls)


def parse_calls(body: str) -> list[ToolCall] | None:
    """Calls in a JSON text (an object or a list of them, possibly ``;``-separated as Llama
    writes parallel calls); None when it is not that."""
    text = body.strip()
    if not text:
        return None
    try:
        value: Any = json.loads(text)
    except ValueError:
        parts = [p for p in text.split(";") if p.strip()]
        if len(parts) < 2:
            return None
        try:
            value = [json.loads(p) for p in parts]
        except ValueError:
            return None
    items = value if isinstance(value, list) else [value]
    calls: list[ToolCall] = []
    for item in items:
        call = _call(item)
        if call is None:
            return None
        calls.append(call)
    return calls or None


def parse_forced(text: str) -> list[ToolCall] | None:
    """The calls of a grammar-forced answer (a bare JSON object or a list)."""
    return parse_calls(text)


def _call(item: Any) -> ToolCall | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("function"), dict):  # OpenAI's {"type": "function", "function": {}}
        item = item["function"]
    name = item.get("name")
    arguments = item.get("arguments", item.get("parameters", {}))
    if isinstance(arguments, str):  # OpenAI sends the arguments as a JSON string
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError:
            return None
    if not isinstance(name, str) or not name or not isinstance(arguments, dict):
        return None
    return ToolCall(name, arguments)


def _first_marker(text: str) -> tuple[int, str | None]:
    best, found = len(text), None
    for marker in _MARKERS:
        index = text.find(marker)
        if 0 <= index < best:
            best, found = index, marker
    return best, found


def _partial_suffix(text: str, markers: tuple[str, ...] = _MARKERS) -> int:
    """How many trailing characters could be the start of a marker (held back until known)."""
    longest = 0
    for marker in markers:
        for size in range(min(len(marker) - 1, len(text)), 0, -1):
            if marker.startswith(text[-size:]):
                longest = max(longest, size)
                break
    return longest
