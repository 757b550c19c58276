"""What every `desktop-chat chat` run sets up around its answer: the error sentence, the store
it is kept in (none with --no-save), the question and its documents started there, the answer
written as it streams, and the sources printed after it."""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from desktop_chat.commands.errors import file_error

if TYPE_CHECKING:  # the chat, store and knowledge base load only when a chat runs
    from desktop_chat.chat.turns import Turn
    from desktop_chat.commands.chat_attach import ChatDocuments
    from desktop_chat.engine.types import ChatRequest
    from desktop_chat.store.exchange import Exchange

EXIT_INTERRUPTED = 130  # what a shell reports for a program ended by SIGINT
NO_SAVE_HINT = "To answer without keeping it, pass --no-save."


def fail(message: str, code: int = 1) -> int:
    """Print ``desktop-chat chat: error: MESSAGE``; returns ``code``."""
    print(f"desktop-chat chat: error: {message}", file=sys.stderr)
    return code


def open_chat_store(args: argparse.Namespace) -> Any:
    """The Store the chat is kept in, None with --no-save, or the exit code (an int) of the
    sentence already printed."""
    if args.no_save:
        return None
    from desktop_chat.store import StoreError, open_store

    try:
        store, notice = open_store()
    except StoreError as error:
        return fail(f"{error} {NO_SAVE_HINT}")
    except OSError as error:
        return file_error("chat", error, "The conversation history could not be opened")
    if notice:
        print(f"desktop-chat: {notice}", file=sys.stderr)
    return store


@dataclass(frozen=True)
class Started:
    """A headless turn about to be asked: its request (with the attached documents), their
    citations, and the question kept in the store (None with --no-save)."""

    turn: Turn
    exchange: Exchange | None


class StartError(Exception):
    """The turn could not start; the message is the sentence, ``code`` the exit code."""

    def __init__(self, sentence: str, code: int = 1) -> None:
        super().__init__(sentence)
        self.code = code


def start_turn(
    store: Any,
    documents: ChatDocuments,
    request: ChatRequest,
    prompt: str,
    model: str,
    context_size: int,
) -> Started:
    """Keep the question (when there is a store) and the documents attached to it, and add
    them to ``request``; StartError when the database or a document refuses."""
    from desktop_chat.commands.chat_attach import AttachError
    from desktop_chat.store import StoreError
    from desktop_chat.store.exchange import start_exchange

    exchange = None
    if store is not None:
        try:
            exchange = start_exchange(store, prompt, model)
        except StoreError as error:
            raise StartError(f"{error} {NO_SAVE_HINT}") from error
    try:
        documents.keep(store, exchange.conversation_id if exchange else None, context_size)
    except AttachError as error:
        if exchange is not None:  # nothing was asked yet: the half-made chat goes too
            documents.forget()
            with contextlib.suppress(StoreError):
                store.purge_conversation(exchange.conversation_id)
        raise StartError(str(error), 2) from error
    return Started(documents.ground(request, prompt), exchange)


def start_answer(store: Any, started: Started, model: str) -> tuple[Any, Any]:
    """(AnswerWriter, StreamingAnswer): the answer that streams into the kept conversation,
    with the turn's citations. StoreError (a sentence) when the database refuses."""
    from desktop_chat.chat.answer_writer import AnswerWriter

    assert started.exchange is not None
    writer = AnswerWriter(store)
    answer = writer.start(
        started.exchange.conversation_id,
        started.exchange.question_id,
        model=model,
        citations=started.turn.citations,
    )
    return writer, answer


def print_sources(
    documents: ChatDocuments, answer: str, citations: list[dict[str, Any]], stream: TextIO
) -> None:
    """The answer's sources, after it, one line each (nothing without documents)."""
    lines = documents.source_lines(answer, citations)
    if not lines:
        return
    with contextlib.suppress(OSError, ValueError):
        print("\nSources:", file=stream)
        for line in lines:
            print(line, file=stream)
        stream.flush()


def quote_saved(store: Any, message_id: int | None) -> None:
    """Store the saved answer's quotes, as the window does when an answer completes."""
    if store is None or not message_id:
        return
    from desktop_chat.chat.quoting import quote_answer

    quote_answer(store, message_id)
