"""`knowledge_base` on /v1/chat/completions: the answer grounded as the window grounds it.

An extension field, as `reasoning_content` is one: a client names one of this machine's
knowledge bases, the last user message is searched in it, the passages go into the system
message, and the response carries `citations` (like Perplexity's API, but each one the
passage itself, its `quotes` - [start, end] spans of the sentences the answer relies on - and
its page), plus `unsupported_claims`: figures the answer states that no cited passage holds.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from desktop_chat.engine.types import ChatRequest
from desktop_chat.server.errors import ApiError, bad_param
from desktop_chat.server.protocol import Parsed

FIELD = "knowledge_base"
_PUBLIC = ("number", "source", "title", "section", "text", "page", "quotes")


def requested(body: dict[str, Any]) -> str | None:
    """The knowledge base the request names, checked; None when it names none."""
    name = body.get(FIELD)
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise bad_param(FIELD, "'knowledge_base' must be the name of a knowledge base.")
    return name.strip()


def _question(request: ChatRequest) -> str:
    return next((m.content for m in reversed(request.history) if m.role == "user"), "")


async def ground(parsed: Parsed, name: str) -> tuple[Parsed, list[dict[str, Any]]]:
    """The request with the passages for its last user message, and their citations; an
    ApiError naming the field when the knowledge base does not exist or cannot be used."""
    from desktop_chat.kb import grounding, library
    from desktop_chat.kb.records import KbError

    request = parsed.engine_request
    assert isinstance(request, ChatRequest)
    try:
        library.require(name)
    except library.KbNotFoundError as error:
        raise ApiError(404, str(error), param=FIELD, code="knowledge_base_not_found") from None
    except KbError as error:  # not a usable name ("../x")
        raise bad_param(FIELD, str(error)) from None
    # Off the event loop: it reads sqlite and embeds the question (the demo's is built once).
    system, citations, notice = await asyncio.to_thread(
        grounding.ground_by_name, name, _question(request), request.system
    )
    if notice:
        raise ApiError(400, notice, param=FIELD, code="knowledge_base_unusable")
    grounded = dataclasses.replace(request, system=system)
    return dataclasses.replace(parsed, engine_request=grounded), citations


def annotated(answer: str, citations: list[dict[str, Any]]) -> dict[str, Any]:
    """The response's extension fields for a finished answer."""
    from desktop_chat.kb.quotes import annotate

    marked, claims = annotate(answer, citations, list(range(len(citations))))
    return {
        "citations": [{k: c.get(k) for k in _PUBLIC} for c in marked],
        "unsupported_claims": [claim["text"] for claim in claims],
    }
