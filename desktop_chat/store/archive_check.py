"""Validate an imported archive completely before anything is written, with a sentence per fault."""

from __future__ import annotations

from typing import Any

from desktop_chat.store.errors import ArchiveError
from desktop_chat.store.records import ATTACHMENT_MODES, CONTEXT_POLICIES, ROLES, STOP_REASONS

_NOTHING = " Nothing was imported."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# field -> (test, description, required)
_CONVERSATION_FIELDS: dict[str, tuple[Any, str, bool]] = {
    "title": (lambda v: isinstance(v, str), "text", True),
    "created": (_is_number, "a time", True),
    "updated": (_is_number, "a time", True),
    "model": (lambda v: v is None or isinstance(v, str), "text or null", False),
    "profile": (lambda v: v is None or isinstance(v, str), "text or null", False),
    "pinned": (lambda v: isinstance(v, bool), "true or false", False),
    "context_policy": (lambda v: v in CONTEXT_POLICIES, " or ".join(CONTEXT_POLICIES), False),
    "settings": (lambda v: v is None or isinstance(v, dict), "an object or null", False),
    "active_leaf_id": (lambda v: v is None or _is_int(v), "a message id or null", False),
    "messages": (lambda v: isinstance(v, list), "a list", True),
    "attachments": (lambda v: isinstance(v, list), "a list", False),
}


def _is_section(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("text", ""), str)
        and isinstance(value.get("section", ""), str)
        and (value.get("page") is None or _is_int(value.get("page")))
    )


_ATTACHMENT_FIELDS: dict[str, tuple[Any, str, bool]] = {
    "name": (lambda v: isinstance(v, str), "text", True),
    "created": (_is_number, "a time", True),
    "path": (lambda v: isinstance(v, str), "text", False),
    "size": (_is_int, "a whole number", False),
    "mode": (lambda v: v in ATTACHMENT_MODES, " or ".join(ATTACHMENT_MODES), False),
    "tokens": (_is_int, "a whole number", False),
    "sections": (
        lambda v: isinstance(v, list) and all(_is_section(s) for s in v),
        "a list of sections",
        False,
    ),
    "error": (lambda v: isinstance(v, str), "text", False),
}

_MESSAGE_FIELDS: dict[str, tuple[Any, str, bool]] = {
    "id": (_is_int, "a whole number", True),
    "parent_id": (lambda v: v is None or _is_int(v), "a message id or null", False),
    "role": (lambda v: v in ROLES, " or ".join(ROLES), True),
    "content": (lambda v: isinstance(v, str), "text", True),
    "created": (_is_number, "a time", True),
    "tokens": (lambda v: v is None or _is_int(v), "a whole number or null", False),
    "model": (lambda v: v is None or isinstance(v, str), "text or null", False),
    "ttft_s": (lambda v: v is None or _is_number(v), "a number or null", False),
    "tokens_per_s": (lambda v: v is None or _is_number(v), "a number or null", False),
    "stop_reason": (lambda v: v is None or v in STOP_REASONS, " or ".join(STOP_REASONS), False),
    "complete": (lambda v: isinstance(v, bool), "true or false", False),
    "citations": (
        lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v),
        "a list of objects",
        False,
    ),
    "metadata": (lambda v: isinstance(v, dict), "an object", False),
    "reasoning": (lambda v: isinstance(v, str), "text", False),
    "tool_calls": (
        lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v),
        "a list of objects",
        False,
    ),
}


def _check_fields(
    item: object, fields: dict[str, tuple[Any, str, bool]], where: str, source: str
) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ArchiveError(f"{source} is damaged: {where} is not an object.{_NOTHING}")
    for name, (test, description, required) in fields.items():
        if name not in item:
            if required:
                raise ArchiveError(f"{source} is damaged: {where} has no {name}.{_NOTHING}")
            continue
        if not test(item[name]):
            raise ArchiveError(
                f"{source} is damaged: {name} of {where} should be {description}.{_NOTHING}"
            )
    return item


def _parents_first(messages: list[dict[str, Any]], where: str, source: str) -> list[dict[str, Any]]:
    """Order messages so every parent precedes its children; refuse unknown parents and loops."""
    by_id: dict[int, dict[str, Any]] = {}
    for message in messages:
        if message["id"] in by_id:
            raise ArchiveError(
                f"{source} is damaged: message id {message['id']} appears twice in {where}."
                f"{_NOTHING}"
            )
        by_id[message["id"]] = message
    ordered: list[dict[str, Any]] = []
    placed: set[int] = set()
    for message in messages:
        chain: list[dict[str, Any]] = []
        in_chain: set[int] = set()
        current: dict[str, Any] | None = message
        while current is not None and current["id"] not in placed:
            if current["id"] in in_chain:
                raise ArchiveError(
                    f"{source} is damaged: the replies in {where} form a loop.{_NOTHING}"
                )
            chain.append(current)
            in_chain.add(current["id"])
            parent = current.get("parent_id")
            if parent is not None and parent not in by_id:
                raise ArchiveError(
                    f"{source} is damaged: message {current['id']} in {where} answers"
                    f" message {parent}, which is missing.{_NOTHING}"
                )
            current = None if parent is None else by_id[parent]
        for item in reversed(chain):
            placed.add(item["id"])
            ordered.append(item)
    return ordered


def check_archive(
    data: object, source: str, archive_format: str, newest_version: int
) -> list[dict[str, Any]]:
    """The archive's conversations, each with messages ordered parents first, or ArchiveError."""
    if not isinstance(data, dict) or data.get("format") != archive_format:
        raise ArchiveError(f"{source} is not a desktop-chat conversation archive.{_NOTHING}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveError(f"{source} is damaged: its format version is missing.{_NOTHING}")
    if version > newest_version:
        raise ArchiveError(
            f"{source} was exported by a newer version of desktop-chat (archive version"
            f" {version}; this version reads up to {newest_version}). Update desktop-chat to"
            f" import it.{_NOTHING}"
        )
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise ArchiveError(f"{source} is damaged: it has no list of conversations.{_NOTHING}")
    checked = []
    for number, conversation in enumerate(conversations, 1):
        where = f"conversation {number}"
        item = _check_fields(conversation, _CONVERSATION_FIELDS, where, source)
        messages = [
            _check_fields(message, _MESSAGE_FIELDS, f"message {index} of {where}", source)
            for index, message in enumerate(item["messages"], 1)
        ]
        ordered = _parents_first(messages, where, source)
        leaf = item.get("active_leaf_id")
        if leaf is not None and all(message["id"] != leaf for message in messages):
            raise ArchiveError(
                f"{source} is damaged: {where} shows message {leaf}, which is missing.{_NOTHING}"
            )
        attachments = [
            _check_fields(attached, _ATTACHMENT_FIELDS, f"attachment {index} of {where}", source)
            for index, attached in enumerate(item.get("attachments") or [], 1)
        ]
        checked.append({**item, "messages": ordered, "attachments": attachments})
    return checked
