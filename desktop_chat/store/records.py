"""Plain records the store hands out: conversations, messages, siblings and search hits."""

from __future__ import annotations

import enum
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]
StopReason = Literal["done", "stopped", "length", "error"]
ContextPolicy = Literal["drop_oldest", "ask"]


class Unset(enum.Enum):
    """Marks an argument that was not given, where None is a meaningful value."""

    UNSET = enum.auto()


UNSET = Unset.UNSET

ROLES: tuple[str, ...] = ("system", "user", "assistant", "tool")
STOP_REASONS: tuple[str, ...] = ("done", "stopped", "length", "error")
CONTEXT_POLICIES: tuple[str, ...] = ("drop_oldest", "ask")


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created: float
    updated: float
    model: str | None = None
    profile: str | None = None
    pinned: bool = False
    context_policy: ContextPolicy = "drop_oldest"
    settings: dict[str, Any] | None = None
    active_leaf_id: int | None = None
    deleted_at: float | None = None


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: Role
    content: str
    created: float
    tokens: int | None = None
    model: str | None = None
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    stop_reason: StopReason | None = None
    complete: bool = True
    citations: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # What a thinking model thought before answering; never part of a later turn's context.
    reasoning: str = ""
    # [{name, arguments, result, error, seconds, status}] in the order the model made them.
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


AttachmentMode = Literal["reading", "whole", "indexed", "failed"]
ATTACHMENT_MODES: tuple[str, ...] = ("reading", "whole", "indexed", "failed")


@dataclass(frozen=True)
class Attachment:
    """A document attached to a conversation. ``sections`` keep its text as read
    ({"section", "page", "text"} dicts), so it works after the file moved, and in an export."""

    id: int
    conversation_id: int
    name: str
    created: float
    path: str = ""
    size: int = 0
    mode: AttachmentMode = "reading"
    tokens: int = 0
    sections: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(str(s.get("text") or "") for s in self.sections)


@dataclass(frozen=True)
class Siblings:
    """The alternatives at one point of a conversation: ``ids[index]`` is the one asked about."""

    ids: tuple[int, ...]
    index: int

    @property
    def position(self) -> int:
        return self.index + 1

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def label(self) -> str:
        return f"{self.position}/{self.count}"

    @property
    def previous_id(self) -> int | None:
        return self.ids[self.index - 1] if self.index > 0 else None

    @property
    def next_id(self) -> int | None:
        return self.ids[self.index + 1] if self.index + 1 < len(self.ids) else None


@dataclass(frozen=True)
class SearchHit:
    """One matching message; ``highlights`` are (start, end) spans of the match in ``snippet``."""

    conversation_id: int
    conversation_title: str
    message_id: int
    role: Role
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    created: float


CONVERSATION_COLUMNS = (
    "id, title, created, updated, model, profile, pinned, context_policy, settings, "
    "active_leaf_id, deleted_at"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, parent_id, role, content, created, tokens, model, ttft_s, "
    "tokens_per_s, stop_reason, complete, citations, metadata, reasoning, tool_calls"
)


ATTACHMENT_COLUMNS = "id, conversation_id, name, created, path, size, mode, tokens, sections, error"


def dump_json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def conversation_from_row(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created=row["created"],
        updated=row["updated"],
        model=row["model"],
        profile=row["profile"],
        pinned=bool(row["pinned"]),
        context_policy=row["context_policy"],
        settings=_load_json(row["settings"]),
        active_leaf_id=row["active_leaf_id"],
        deleted_at=row["deleted_at"],
    )


def message_from_row(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        parent_id=row["parent_id"],
        role=row["role"],
        content=row["content"],
        created=row["created"],
        tokens=row["tokens"],
        model=row["model"],
        ttft_s=row["ttft_s"],
        tokens_per_s=row["tokens_per_s"],
        stop_reason=row["stop_reason"],
        complete=bool(row["complete"]),
        citations=_load_json(row["citations"]) or [],
        metadata=_load_json(row["metadata"]) or {},
        reasoning=row["reasoning"] or "",
        tool_calls=_load_json(row["tool_calls"]) or [],
    )


def attachment_from_row(row: sqlite3.Row) -> Attachment:
    return Attachment(
        id=row["id"],
        conversation_id=row["conversation_id"],
        name=row["name"],
        created=row["created"],
        path=row["path"],
        size=row["size"],
        mode=row["mode"],
        tokens=row["tokens"],
        sections=_load_json(row["sections"]) or [],
        error=row["error"],
    )
