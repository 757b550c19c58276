"""What attached documents add to a turn: read (and, when too big to go whole, indexed into
the conversation's own knowledge base) off the GUI thread, then in full or by their passages for
the question, numbered after the turn's own passages and cited like them."""

from __future__ import annotations

import logging
import re
import shutil
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_chat import paths
from desktop_chat.chat.turns import Turn
from desktop_chat.fsutil import atomic_write_text, os_error_reason
from desktop_chat.kb.index import KbError, KnowledgeBase
from desktop_chat.kb.readers import Cancelled, DocumentError, ReadProgress, read_document
from desktop_chat.kb.text import rough_token_count
from desktop_chat.store import Attachment, Store, StoreError
from desktop_chat.tasks import TaskContext

log = logging.getLogger(__name__)

# A document goes whole into the context when it takes at most this share of the window; the
# rest is left to the conversation, the system prompt and the answer.
WHOLE_SHARE = 0.4
RETRIEVED_PASSAGES = 4
FOLDER = ".attachments"  # under the knowledge-base folder: not a knowledge base of the list
_FOLDER_NAME = re.compile(r"^c(\d+)-(\d+)$")

_RULES = (
    "The user attached the documents below to this conversation. Use them to answer; cite "
    "what you take from them with its number in square brackets, like the other passages."
)


def conversation_folder(store: Store, conversation_id: int) -> Path:
    """The folder of a conversation's knowledge base; named by id and creation time, so a
    reused id never finds an old chat's documents."""
    created = store.get_conversation(conversation_id).created
    return paths.kb_dir() / FOLDER / f"c{conversation_id}-{int(created * 1000)}"


def sweep_orphans(store: Store) -> int:
    """Remove the knowledge bases of conversations that are gone; returns how many."""
    root = paths.kb_dir() / FOLDER
    if not root.is_dir():
        return 0
    keep = {
        f"c{c.id}-{int(c.created * 1000)}" for c in store.list_conversations(include_deleted=True)
    }
    removed = 0
    for folder in root.iterdir():
        if _FOLDER_NAME.match(folder.name) and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@dataclass(frozen=True)
class ReadResult:
    """A document read off the GUI thread: its sections, tokens and how it is used."""

    sections: list[dict[str, Any]]
    tokens: int
    mode: str  # "whole" or "indexed"


def whole_limit(context_size: int) -> int:
    """The most tokens a document may have to go whole into the context."""
    return int(context_size * WHOLE_SHARE)


def read_sections(
    path: Path, cancel: threading.Event | None = None, progress: ReadProgress | None = None
) -> tuple[list[dict[str, Any]], int]:
    """A document's sections as stored on its attachment, and its tokens (roughly);
    DocumentError (a sentence) when it has no text or cannot be read."""
    sections: list[dict[str, Any]] = [
        {"section": s.section, "page": s.page, "text": s.text}
        for s in read_document(path, cancel, progress)
    ]
    if not any(s["text"].strip() for s in sections):
        raise DocumentError(f"{path.name} has no text to read.")
    return sections, sum(rough_token_count(s["text"]) for s in sections)


def read_attachment(
    path: Path, context_size: int, folder: Path, attachment_id: int, context: TaskContext
) -> ReadResult:
    """Read a document; index it into ``folder``'s knowledge base when it is too big to go
    whole. DocumentError (a sentence) for a file that cannot be used; Cancelled on cancel."""
    sections, tokens = read_sections(
        path, context.cancel, lambda done, total: context.progress((done, total))
    )
    if tokens <= whole_limit(context_size):
        return ReadResult(sections, tokens, "whole")
    index_sections(folder, attachment_id, path.name, sections, context)
    return ReadResult(sections, tokens, "indexed")


def _document_file(folder: Path, attachment_id: int) -> Path:
    return folder / f"doc-{attachment_id}.md"


def index_sections(
    folder: Path,
    attachment_id: int,
    name: str,
    sections: list[dict[str, Any]],
    context: TaskContext | None = None,
) -> None:
    """Write the document's sections as Markdown beside the conversation's knowledge base and
    index it there (the text kept in the store can rebuild both)."""
    lines = [f"# {name}", ""]
    for section in sections:
        heading = section.get("section") or name
        if section.get("page"):
            heading = f"{heading} (page {section['page']})"
        lines += [f"## {heading}", "", str(section.get("text") or ""), ""]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(_document_file(folder, attachment_id), "\n".join(lines))
    except OSError as exc:
        raise DocumentError(
            f"{name} could not be indexed ({os_error_reason(exc)}). Free some disk space and "
            "attach it again."
        ) from exc
    cancel = context.cancel if context is not None else None
    progress = None
    if context is not None:
        progress = lambda done, total, _source: context.progress((done, total))  # noqa: E731
    try:
        with KnowledgeBase(folder / "kb.sqlite3") as kb:
            report = kb.add_paths([_document_file(folder, attachment_id)], progress, cancel)
    except KbError as exc:
        raise DocumentError(str(exc)) from exc
    if report.cancelled:
        raise Cancelled
    if report.skipped:
        raise DocumentError(f"{name} could not be indexed: {report.skipped[0].reason}.")


def _citation(
    attachment: Attachment, section: str, text: str, ordinal: int, score: float
) -> dict[str, Any]:
    return {
        "id": f"attachment:{attachment.id}#{ordinal}",
        "source": attachment.name,
        "title": attachment.name,
        "section": section,
        "text": text,
        "score": score,
        "attachment": attachment.id,
    }


def _retrieve(
    store: Store, conversation_id: int, indexed: list[Attachment], question: str, folder: Path
) -> list[dict[str, Any]]:
    """The indexed attachments' passages for ``question``; a missing index is rebuilt, and
    so is one holding a document no longer attached (removed while it was being indexed)."""
    by_file = {_document_file(folder, a.id).name: a for a in indexed}
    if any(f.name not in by_file for f in folder.glob("doc-*.md")):
        shutil.rmtree(folder, ignore_errors=True)
    for attachment in indexed:
        if not _document_file(folder, attachment.id).is_file():
            index_sections(folder, attachment.id, attachment.name, attachment.sections)
    with KnowledgeBase(folder / "kb.sqlite3") as kb:
        # The user attached these documents to this chat: a question here is about them,
        # however far its words are from theirs, so the off-topic gate does not apply.
        passages = kb.search(question, k=RETRIEVED_PASSAGES * 2, gate=False)
    found = []
    for passage in passages:
        owner = by_file.get(passage.source.split("/")[-1])
        if owner is not None:
            ordinal = passage.id.rsplit("#", 1)[-1]
            found.append(
                _citation(
                    owner,
                    passage.section,
                    passage.text,
                    int(ordinal) if ordinal.isdigit() else 0,
                    passage.score,
                )
            )
    return found[:RETRIEVED_PASSAGES]


def add_to_turn(
    turn: Turn,
    store: Store,
    conversation_id: int,
    question: str,
    *,
    retrieve: bool = True,
    folder: Path | None = None,
) -> Turn:
    """``turn`` with the conversation's documents: whole ones in full, indexed ones by their
    passages for ``question`` (only when ``retrieve``: it reads the disk, so call it off the
    GUI thread). They are numbered after the turn's own passages and cited like them.
    ``folder``: where the indexed ones are, when not the conversation's own folder (a chat
    that is not kept)."""
    try:
        attachments = store.attachments(conversation_id)
    except StoreError as error:
        log.warning("attachments of conversation %d unreadable: %s", conversation_id, error)
        return turn
    # A document the user attached in full is as relevant as the best passage found, so it is
    # among the sources shown under the answer (and its figures count as found).
    best = max((float(c.get("score") or 0.0) for c in turn.citations), default=1.0)
    whole = [a for a in attachments if a.mode == "whole" and a.text]
    citations = [_citation(a, a.name, a.text, 0, max(best, 1.0)) for a in whole]
    indexed = [a for a in attachments if a.mode == "indexed"]
    notice = turn.notice
    if indexed and retrieve and question:
        try:
            where = folder or conversation_folder(store, conversation_id)
            citations += _retrieve(store, conversation_id, indexed, question, where)
        except (KbError, DocumentError, OSError, StoreError) as error:
            log.warning("attachment retrieval failed: %s", error)
            notice = f"The attached documents could not be searched: {error}"
    if not citations:
        return replace(turn, notice=notice)
    first = len(turn.citations) + 1
    blocks = [
        f"[{first + i}] {c['source']}"
        + (f" › {c['section']}" if c["section"] != c["source"] else "")
        + f"\n{c['text']}"
        for i, c in enumerate(citations)
    ]
    system = "\n\n".join(part for part in (turn.request.system.strip(), _RULES, *blocks) if part)
    request = replace(turn.request, system=system)
    return Turn(request, [*turn.citations, *citations], notice)
