"""Conversations in sqlite: schema, migrations, search, export and import."""

from desktop_chat.store.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION
from desktop_chat.store.errors import (
    ArchiveError,
    DatabaseUnavailableError,
    NewerDatabaseError,
    NotFoundError,
    StoreError,
)
from desktop_chat.store.grouping import Group, group_conversations, group_of, title_from_text
from desktop_chat.store.records import (
    UNSET,
    Attachment,
    ContextPolicy,
    Conversation,
    Message,
    Role,
    SearchHit,
    Siblings,
    StopReason,
)
from desktop_chat.store.schema import SCHEMA_VERSION
from desktop_chat.store.store import Store, open_memory_store, open_store

__all__ = [
    "ARCHIVE_FORMAT",
    "ARCHIVE_VERSION",
    "SCHEMA_VERSION",
    "UNSET",
    "ArchiveError",
    "Attachment",
    "ContextPolicy",
    "Conversation",
    "DatabaseUnavailableError",
    "Group",
    "Message",
    "NewerDatabaseError",
    "NotFoundError",
    "Role",
    "SearchHit",
    "Siblings",
    "StopReason",
    "Store",
    "StoreError",
    "group_conversations",
    "group_of",
    "open_memory_store",
    "open_store",
    "title_from_text",
]
