"""A finished grounded answer's quotes: each citation's relied-on sentences and the answer's
figures found in no shown source, stored with the message so a reload and an export keep them."""

from __future__ import annotations

import logging

from desktop_chat.chat.turns import shown_citations
from desktop_chat.kb.quotes import annotate
from desktop_chat.store import NotFoundError, Store, StoreError

log = logging.getLogger(__name__)

UNSUPPORTED_KEY = "unsupported"  # in message metadata: [{"text", "start", "end"}, ...]


def quote_answer(store: Store, message_id: int) -> bool:
    """Annotate the stored answer ``message_id``; False when it has no citations or the store
    refused (logged: the answer itself is already saved, only its highlights are missing)."""
    try:
        message = store.get_message(message_id)
        if not message.citations or not message.content:
            return False
        shown = shown_citations(message.content, message.citations)
        indexes = [i for i, c in enumerate(message.citations) if any(c is s for s in shown)]
        citations, claims = annotate(message.content, message.citations, indexes)
        store.update_message(
            message_id,
            citations=citations,
            metadata={**message.metadata, UNSUPPORTED_KEY: claims},
        )
    except NotFoundError:
        return False  # an empty answer is removed, not kept
    except StoreError as error:
        log.warning("could not store the quotes of message %d: %s", message_id, error)
        return False
    return True
