"""The shared records of tools: a tool's description, a call the model made, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BUILTIN = "built-in"  # the server name of the tools that come with the app
# What the model sees of a result; the card keeps it whole (a tool may return megabytes).
MODEL_RESULT_CHARS = 8000


@dataclass(frozen=True)
class ToolSpec:
    name: str  # the name the model calls it by (unique across servers)
    description: str
    parameters: dict[str, Any]  # JSON Schema of the arguments
    server: str = BUILTIN
    remote_name: str = ""  # the server's own name for it, when ``name`` had to differ

    def as_function(self) -> dict[str, Any]:
        """The OpenAI/Hermes function description templates and prompts use."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters or {"type": "object", "properties": {}},
            },
        }


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]


@dataclass
class ToolOutcome:
    """What became of one call; ``as_record`` is what the message stores (store schema v4)."""

    call: ToolCall
    status: str = "done"  # done | error | denied | timeout | cancelled
    result: str = ""
    error: str = ""
    seconds: float = 0.0
    server: str = BUILTIN
    extra: dict[str, Any] = field(default_factory=dict)

    def for_model(self, limit: int = MODEL_RESULT_CHARS) -> str:
        if self.status != "done":
            return f"Error: {self.error}"
        if len(self.result) <= limit:
            return self.result
        return (
            self.result[:limit]
            + f"\n[… truncated: {len(self.result):,} characters in all, the first {limit:,} shown]"
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "name": self.call.name,
            "arguments": self.call.arguments,
            "result": self.result,
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "status": self.status,
        }
