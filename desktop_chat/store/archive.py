"""Export conversations to Markdown or a versioned JSON archive, and import archives losslessly."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_chat.fsutil import JsonTooComplex, atomic_write_text, load_json_bounded
from desktop_chat.store.archive_check import check_archive
from desktop_chat.store.attachments import conversation_attachments, insert_attachment
from desktop_chat.store.conversations import fetch_conversation
from desktop_chat.store.db import Database
from desktop_chat.store.errors import ArchiveError, StoreError
from desktop_chat.store.messages import active_leaf, thread_to
from desktop_chat.store.records import (
    MESSAGE_COLUMNS,
    Attachment,
    Conversation,
    Message,
    dump_json,
    message_from_row,
)

ARCHIVE_FORMAT = "desktop-chat-conversations"
ARCHIVE_VERSION = 1
# An archive is five levels deep, plus whatever a message's metadata holds.
ARCHIVE_MAX_DEPTH = 64

_ROLE_HEADINGS = {"user": "You", "assistant": "Assistant", "system": "System", "tool": "Tool"}


def _conversation_dict(
    conversation: Conversation, messages: list[Message], attachments: list[Attachment]
) -> dict[str, Any]:
    data = dataclasses.asdict(conversation)
    data.pop("deleted_at")
    data["messages"] = [dataclasses.asdict(message) for message in messages]
    for message in data["messages"]:
        message.pop("conversation_id")
    data["attachments"] = [dataclasses.asdict(item) for item in attachments]
    for item in data["attachments"]:
        item.pop("conversation_id")
        item.pop("id")
        if item["mode"] == "reading":
            # Reading did not finish: imported, it would wait for a task that never comes.
            item["mode"], item["error"] = "failed", "It was still being read when exported."
    return data


def _quoted(citation: dict[str, Any]) -> list[str]:
    """The sentences the answer relies on (stored spans), else nothing."""
    text = str(citation.get("text", ""))
    spans = citation.get("quotes")
    quotes = []
    for span in spans if isinstance(spans, list) else []:
        if (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(v, int) for v in span)
            and 0 <= span[0] < span[1] <= len(text)
        ):
            quotes.append(" ".join(text[span[0] : span[1]].split()))
    return quotes


def _citation_line(number: int, citation: dict[str, Any]) -> str:
    source = citation.get("title") or citation.get("source") or citation.get("document") or ""
    number = citation.get("number", number) if isinstance(citation.get("number"), int) else number
    text = " ".join(str(citation.get("text", "")).split())
    parts = [str(source)] if source else []
    quotes = _quoted(citation)
    if quotes:
        parts.append(" … ".join(f"“{quote}”" for quote in quotes))
    elif text:
        parts.append(f"“{text[:200]}”")
    return f"{number}. " + (" — ".join(parts) or json.dumps(citation, ensure_ascii=False))


def _unsupported_lines(message: Message) -> list[str]:
    claims = message.metadata.get("unsupported")
    texts = (
        [c.get("text") for c in claims if isinstance(c, dict)] if isinstance(claims, list) else []
    )
    return [f"- {t} — not found in the sources" for t in texts if isinstance(t, str) and t]


def _tool_call_lines(message: Message) -> list[str]:
    lines = []
    for call in message.tool_calls:
        arguments = json.dumps(call.get("arguments"), ensure_ascii=False)
        outcome = call.get("error") or call.get("result") or call.get("status") or ""
        outcome = " ".join(str(outcome).split())[:200]
        lines.append(f"> Tool {call.get('name', '?')}({arguments}) → {outcome}")
    return [*lines, ""] if lines else []


def _markdown(
    conversation: Conversation,
    thread: list[Message],
    branched: set[int],
    attachments: Sequence[Attachment] = (),
) -> str:
    when = datetime.fromtimestamp(conversation.created).strftime("%Y-%m-%d %H:%M")
    facts = [f"Started {when}"]
    if conversation.model:
        facts.append(f"model {conversation.model}")
    lines = [f"# {conversation.title or 'Untitled conversation'}", "", f"*{' · '.join(facts)}*", ""]
    if attachments:
        lines += ["Attached documents:", ""]
        lines += [f"- {a.name}" + (f" ({a.error})" if a.error else "") for a in attachments]
        lines.append("")
    for message in thread:
        heading = _ROLE_HEADINGS.get(message.role, message.role)
        if message.id in branched:
            heading += " (one of several versions)"
        lines.append(f"### {heading}")
        lines.append("")
        if message.reasoning.strip():
            lines += ["<details><summary>Reasoning</summary>", "", message.reasoning.strip()]
            lines += ["", "</details>", ""]
        lines += _tool_call_lines(message)
        lines += [message.content.rstrip(), ""]
        if not message.complete or message.stop_reason in ("stopped", "length", "error"):
            lines += [f"*(answer ended: {message.stop_reason or 'incomplete'})*", ""]
        if message.citations:
            lines += ["Sources:", ""]
            lines += [_citation_line(n, c) for n, c in enumerate(message.citations, 1)]
            lines.append("")
        unsupported = _unsupported_lines(message)
        if unsupported:
            lines += [*unsupported, ""]
    return "\n".join(lines)


class ArchiveMixin(Database):
    def _export_ids(self, conversation_ids: list[int] | None) -> list[int]:
        if conversation_ids is not None:
            return list(conversation_ids)
        with self._locked() as conn:
            return [
                int(row[0])
                for row in conn.execute(
                    "SELECT id FROM conversations WHERE deleted_at IS NULL"
                    " ORDER BY pinned DESC, updated DESC, id DESC"
                )
            ]

    def _all_messages(self, conversation_id: int) -> list[Message]:
        with self._locked() as conn:
            rows = conn.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
        return [message_from_row(row) for row in rows]

    def archive_data(self, conversation_ids: list[int] | None = None) -> dict[str, Any]:
        """The JSON archive as a dict: every branch, citation and setting. None means all."""
        conversations = []
        with self._locked() as conn:
            for conversation_id in self._export_ids(conversation_ids):
                conversation = fetch_conversation(conn, conversation_id)
                messages = self._all_messages(conversation_id)
                attached = conversation_attachments(conn, conversation_id)
                conversations.append(_conversation_dict(conversation, messages, attached))
        return {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "exported": time.time(),
            "conversations": conversations,
        }

    def export_json(self, path: Path, conversation_ids: list[int] | None = None) -> int:
        """Write the archive atomically; returns how many conversations it holds."""
        data = self.archive_data(conversation_ids)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return len(data["conversations"])

    def markdown(self, conversation_ids: list[int] | None = None) -> str:
        """The active thread of each conversation as readable Markdown (branches not included)."""
        parts = []
        with self._locked() as conn:
            for conversation_id in self._export_ids(conversation_ids):
                conversation = fetch_conversation(conn, conversation_id)
                thread = thread_to(conn, active_leaf(conn, conversation_id))
                branched = {
                    int(row[0])
                    for row in conn.execute(
                        "SELECT m.id FROM messages AS m WHERE m.conversation_id = ? AND EXISTS ("
                        " SELECT 1 FROM messages AS s WHERE s.conversation_id = m.conversation_id"
                        " AND s.parent_id IS m.parent_id AND s.id != m.id)",
                        (conversation_id,),
                    )
                }
                attached = conversation_attachments(conn, conversation_id)
                parts.append(_markdown(conversation, thread, branched, attached))
        return "\n---\n\n".join(parts)

    def export_markdown(self, path: Path, conversation_ids: list[int] | None = None) -> int:
        ids = self._export_ids(conversation_ids)
        atomic_write_text(path, self.markdown(ids))
        return len(ids)

    def import_archive(self, path: Path) -> list[int]:
        """Add every conversation in a JSON archive under new ids; returns the new ids.

        Raises ArchiveError (a sentence naming the file) for an unreadable, malformed or
        newer-version file; then nothing at all was imported."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ArchiveError(
                f"{path} is not a desktop-chat archive (it is not a text file)."
                " Nothing was imported."
            ) from None
        except OSError as exc:
            raise ArchiveError(f"Could not read {path}: {exc.strerror or exc}.") from exc
        try:
            data = load_json_bounded(text, max_depth=ARCHIVE_MAX_DEPTH, max_bytes=None)
        except JsonTooComplex as exc:
            raise ArchiveError(
                f"{path} is not a desktop-chat archive ({exc}). Nothing was imported."
            ) from None
        except json.JSONDecodeError as exc:
            raise ArchiveError(
                f"{path} is not a desktop-chat archive (not valid JSON at line {exc.lineno})."
                " Nothing was imported."
            ) from None
        return self.import_data(data, source=str(path))

    def import_data(self, data: object, *, source: str = "The archive") -> list[int]:
        """import_archive() for an already parsed JSON value; ``source`` names it in errors."""
        conversations = check_archive(data, source, ARCHIVE_FORMAT, ARCHIVE_VERSION)
        try:
            return self._insert_conversations(conversations)
        except (sqlite3.IntegrityError, sqlite3.DataError, OverflowError) as exc:
            # Values that pass the checks but that sqlite refuses (a 70-bit number...).
            raise ArchiveError(
                f"{source} could not be imported: {exc}. Nothing was imported."
            ) from exc

    def _insert_conversations(self, conversations: list[dict[str, Any]]) -> list[int]:
        new_ids: list[int] = []
        with self._transaction() as conn:
            for conversation in conversations:
                cursor = conn.execute(
                    "INSERT INTO conversations (title, created, updated, model, profile, pinned,"
                    " context_policy, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        conversation["title"],
                        conversation["created"],
                        conversation["updated"],
                        conversation.get("model"),
                        conversation.get("profile"),
                        int(conversation.get("pinned", False)),
                        conversation.get("context_policy", "drop_oldest"),
                        dump_json(conversation.get("settings")),
                    ),
                )
                conversation_id = cursor.lastrowid
                if conversation_id is None:
                    raise StoreError("The database did not return an id for an imported chat.")
                id_map: dict[int, int] = {}
                # check_archive ordered them parents first.
                for message in conversation["messages"]:
                    parent = message.get("parent_id")
                    cursor = conn.execute(
                        "INSERT INTO messages (conversation_id, parent_id, role, content, created,"
                        " tokens, model, ttft_s, tokens_per_s, stop_reason, complete, citations,"
                        " metadata, reasoning, tool_calls)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            conversation_id,
                            None if parent is None else id_map[parent],
                            message["role"],
                            message["content"],
                            message["created"],
                            message.get("tokens"),
                            message.get("model"),
                            message.get("ttft_s"),
                            message.get("tokens_per_s"),
                            message.get("stop_reason"),
                            int(message.get("complete", True)),
                            dump_json(message.get("citations") or []),
                            dump_json(message.get("metadata") or {}),
                            message.get("reasoning") or "",
                            dump_json(message.get("tool_calls") or []),
                        ),
                    )
                    assert cursor.lastrowid is not None
                    id_map[message["id"]] = cursor.lastrowid
                for attached in conversation.get("attachments") or []:
                    insert_attachment(conn, conversation_id, attached)
                leaf = conversation.get("active_leaf_id")
                conn.execute(
                    "UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                    (None if leaf is None else id_map[leaf], conversation_id),
                )
                new_ids.append(conversation_id)
        return new_ids
