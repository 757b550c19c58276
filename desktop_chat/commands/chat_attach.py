"""`desktop-chat chat --attach FILE` and `--kb NAME`: the window's rules for a chat's documents,
headless. Each file is read before the model loads (a bad one is a sentence, exit 2); once the
context size is known it goes whole into the prompt when it fits, else it is indexed into the
conversation's own knowledge base; it is kept on the saved conversation. A knowledge base
grounds the answer as a profile's does in the window. The answer's sources are printed."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_chat.chat.attachment_context import (
    conversation_folder,
    index_sections,
    read_sections,
    whole_limit,
)
from desktop_chat.chat.turns import Turn, shown_citations
from desktop_chat.engine.types import ChatRequest
from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb.readers import Cancelled, DocumentError, check_size
from desktop_chat.store import Store, StoreError
from desktop_chat.store.records import AttachmentMode

log = logging.getLogger(__name__)

QUOTE_CHARS = 200  # a source line's quote is cut here, so one long sentence stays one line
_PAGE = re.compile(r"\(page (\d+)\)\s*$")


class AttachError(Exception):
    """A file that cannot be attached; the message is the sentence to print."""


@dataclass(frozen=True)
class Document:
    """A file read for this chat: its sections as an attachment stores them."""

    path: Path
    size: int
    sections: list[dict[str, Any]]
    tokens: int


def _known_knowledge_base(name: str) -> str:
    """``name`` when such a knowledge base exists (the sample shop's is made on first use);
    AttachError with a sentence otherwise."""
    from desktop_chat.kb import library
    from desktop_chat.kb.records import KbError

    try:
        return library.require(name)
    except KbError as error:
        raise AttachError(
            f"{error} Create one with `desktop-chat kb create`, or ask the sample shop's: "
            "--kb shop-demo."
        ) from error


def read_document_file(given: str) -> Document:
    """Read one file given to --attach; AttachError with a sentence when it cannot be used."""
    path = Path(given).expanduser()
    if not path.exists():
        raise AttachError(f"{given} does not exist. Check the path and try again.")
    if not path.is_file():
        raise AttachError(f"{given} is not a file. Attach a document, not a folder.")
    try:
        size = path.stat().st_size
        check_size(path, size)
        sections, tokens = read_sections(path)
    except OSError as error:
        raise AttachError(
            f"{path.name} cannot be read ({os_error_reason(error)}). Check the file."
        ) from error
    except (DocumentError, Cancelled) as error:
        raise AttachError(str(error) or f"{path.name} could not be read.") from error
    return Document(path.absolute(), size, sections, tokens)


class ChatDocuments:
    """The documents of one headless chat: kept on its conversation (or, with --no-save, on a
    throw-away one whose index lives in a temporary folder), then added to its turn."""

    def __init__(self, files: Sequence[str], knowledge_base: str | None = None) -> None:
        self.knowledge_base = _known_knowledge_base(knowledge_base) if knowledge_base else None
        self.documents = [read_document_file(name) for name in files]
        self.store: Store | None = None
        self.conversation_id = 0
        self.folder: Path | None = None  # the no-save chat's index; None: the conversation's
        self._own_store: Store | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self.by_attachment: dict[int, Document] = {}

    def __bool__(self) -> bool:
        return bool(self.documents) or self.knowledge_base is not None

    def keep(self, store: Store | None, conversation_id: int | None, context_size: int) -> None:
        """Attach the documents to the conversation (one made for them without a store),
        whole or indexed for ``context_size``; AttachError when one cannot be indexed."""
        if not self.documents:
            return
        try:
            if store is None or conversation_id is None:
                from desktop_chat.store import open_memory_store

                store = self._own_store = open_memory_store()
                conversation_id = store.create_conversation("").id
                self._temporary = tempfile.TemporaryDirectory(prefix="desktop-chat-attach-")
                self.folder = Path(self._temporary.name)
            self.store, self.conversation_id = store, conversation_id
            folder = self.folder or conversation_folder(store, conversation_id)
            for document in self.documents:
                self._attach(store, conversation_id, folder, document, context_size)
        except StoreError as error:
            raise AttachError(f"The attachments could not be kept: {error}") from error

    def _attach(
        self,
        store: Store,
        conversation_id: int,
        folder: Path,
        document: Document,
        context_size: int,
    ) -> None:
        path = document.path
        attachment = store.add_attachment(
            conversation_id, path.name, path=str(path), size=document.size
        )
        self.by_attachment[attachment.id] = document
        mode: AttachmentMode = (
            "whole" if document.tokens <= whole_limit(context_size) else "indexed"
        )
        if mode == "indexed":
            try:
                index_sections(folder, attachment.id, path.name, document.sections)
            except (DocumentError, Cancelled) as error:
                store.update_attachment(attachment.id, mode="failed", error=str(error))
                raise AttachError(str(error) or f"{path.name} could not be indexed.") from error
        store.update_attachment(
            attachment.id, mode=mode, tokens=document.tokens, sections=document.sections, error=""
        )

    def ground(self, request: ChatRequest, question: str) -> Turn:
        """The turn with the knowledge base's passages for ``question`` and the documents
        (whole, or their passages), numbered in that order."""
        turn = Turn(request)
        if self.knowledge_base is not None:
            from desktop_chat.kb.grounding import ground_by_name

            system, citations, notice = ground_by_name(
                self.knowledge_base, question, request.system
            )
            if notice:
                print(f"desktop-chat: {notice}", file=sys.stderr)
            turn = Turn(replace(request, system=system), citations, notice)
        if self.store is None:
            return turn
        from desktop_chat.chat.attachment_context import add_to_turn

        grounded = add_to_turn(turn, self.store, self.conversation_id, question, folder=self.folder)
        if grounded.notice and grounded.notice != turn.notice:  # the KB's was printed above
            log.warning("attachments: %s", grounded.notice)
        return grounded

    def source_lines(self, answer: str, citations: list[dict[str, Any]]) -> list[str]:
        """``[n] file.pdf, p. 3 — "the sentence the answer relies on"`` for each source shown
        under the answer (those it cites as [n], else the best few), like the window's."""
        from desktop_chat.kb.quotes import annotate

        if not citations or not answer.strip():
            return []
        shown = shown_citations(answer, citations)
        indexes = [i for i, c in enumerate(citations) if any(c is s for s in shown)]
        annotated, claims = annotate(answer, citations, indexes)
        lines = []
        for index in indexes:
            citation = annotated[index]
            text = str(citation.get("text") or "")
            spans = [(int(a), int(b)) for a, b in citation.get("quotes") or []]
            quote = " … ".join(text[a:b] for a, b in spans) if spans else text
            quote = " ".join(quote.split())
            if len(quote) > QUOTE_CHARS:
                quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
            where = str(citation.get("source") or citation.get("title") or "")
            page = self._page(citation, spans[0][0] if spans else 0)
            if page:
                where += f", p. {page}"
            lines.append(f'[{index + 1}] {where} — "{quote}"')
        # A figure the answer states that no source shown holds, as the window marks it.
        lines += [f'"{claim["text"]}" — not found in the sources' for claim in claims]
        return lines

    def _page(self, citation: dict[str, Any], offset: int) -> int | None:
        """The page a citation's quote is on: a passage's "(page N)" heading, or, in a
        document given whole, the page of the section the quote starts in."""
        page = citation.get("page")
        if isinstance(page, int) and not isinstance(page, bool) and page > 0:
            return page
        found = _PAGE.search(str(citation.get("section") or ""))
        if found:
            return int(found.group(1))
        document = self.by_attachment.get(int(citation.get("attachment") or 0))
        if document is None or citation.get("section") != citation.get("source"):
            return None
        start = 0
        for section in document.sections:
            end = start + len(str(section.get("text") or ""))
            if offset <= end:
                value = section.get("page")
                return int(value) if isinstance(value, int) and value > 0 else None
            start = end + 2  # the blank line Attachment.text joins sections with
        return None

    def forget(self) -> None:
        """Remove what ``keep`` wrote for a conversation that will not be kept after all."""
        if self.store is not None and self._own_store is None and self.conversation_id:
            with contextlib.suppress(StoreError, OSError):
                folder = conversation_folder(self.store, self.conversation_id)
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        if self._own_store is not None:
            self._own_store.close()
            self._own_store = None
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None
        self.store = None
