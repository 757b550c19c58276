"""Thinking on / off / auto for one turn, the way the model's chat template understands it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop_chat.engine.types import ChatMessage, ChatRequest

THINKING_MODES = ("auto", "on", "off")
# Qwen3's soft switch, for thinking templates without an enable_thinking variable.
NO_THINK = "/no_think"


def template_variables(mode: str, source: str) -> dict[str, Any]:
    """Extra variables for a Jinja template's render: Qwen3-style templates read
    ``enable_thinking``; "auto" leaves the template's own default."""
    if mode in ("on", "off") and "enable_thinking" in source:
        return {"enable_thinking": mode == "on"}
    return {}


def apply_thinking(request: ChatRequest, source: str) -> ChatRequest:
    """The request as the template should see it: with "off" and a template that thinks but
    has no switch, the last question ends with /no_think."""
    if request.thinking != "off" or "enable_thinking" in source or "<think>" not in source:
        return request
    history = list(request.history)
    last = next((i for i in range(len(history) - 1, -1, -1) if history[i].role == "user"), None)
    if last is None or history[last].content.rstrip().endswith(NO_THINK):
        return request
    history[last] = ChatMessage("user", f"{history[last].content} {NO_THINK}")
    return replace(request, history=tuple(history))
