"""Pure helpers for the conversation list: date groups and a title from the first question."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

from desktop_chat.store.records import Conversation


class Group(enum.StrEnum):
    """Section headings of the conversation list, in display order (English; the UI tr()s)."""

    PINNED = "Pinned"
    TODAY = "Today"
    YESTERDAY = "Yesterday"
    PREVIOUS_7_DAYS = "Previous 7 days"
    OLDER = "Older"


def group_of(updated: float, now: datetime) -> Group:
    """Which date group a time falls in, by calendar days in ``now``'s time zone."""
    when = datetime.fromtimestamp(updated, tz=now.tzinfo)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if when >= today:
        return Group.TODAY
    if when >= today - timedelta(days=1):
        return Group.YESTERDAY
    if when >= today - timedelta(days=7):
        return Group.PREVIOUS_7_DAYS
    return Group.OLDER


def group_conversations(
    conversations: Iterable[Conversation], now: datetime, *, pinned_group: bool = True
) -> list[tuple[Group, list[Conversation]]]:
    """Non-empty groups in display order, keeping the given order inside each group.

    ``now`` is naive local time (datetime.now()) or aware; pinned ones go to PINNED."""
    buckets: dict[Group, list[Conversation]] = {group: [] for group in Group}
    for conversation in conversations:
        if pinned_group and conversation.pinned:
            buckets[Group.PINNED].append(conversation)
        else:
            buckets[group_of(conversation.updated, now)].append(conversation)
    return [(group, items) for group, items in buckets.items() if items]


_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*>]\s+|\d+[.)]\s+)")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def title_from_text(text: str, max_width: int = 48) -> str:
    """A short one-line title from a question: first non-empty line, cut at a word if possible.

    Width counts a Chinese character as two columns, since it takes twice the room."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    line = " ".join(_MARKUP.sub("", line).replace("`", "").split())
    if sum(map(_width, line)) <= max_width:
        return line
    # Leave one column for the ellipsis.
    used = end = 0
    while end < len(line) and used + _width(line[end]) <= max_width - 1:
        used += _width(line[end])
        end += 1
    cut = line[:end]
    space = cut.rfind(" ")
    # Chinese has no spaces; only cut at a space when it leaves most of the line.
    if space >= len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:，。；：、") + "…"
