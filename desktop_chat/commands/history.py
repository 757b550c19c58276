"""The `export`, `import` and `history` subcommands: conversations without the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop_chat import paths
from desktop_chat.commands.errors import file_error
from desktop_chat.store import Store, StoreError, group_conversations, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser(
        "export",
        help="export conversations to Markdown or JSON",
        description="Export one conversation (by ID, see `history`) or all of them. JSON keeps "
        "everything (branches, citations, settings) and can be imported again; Markdown is "
        "for reading and holds the branch shown in the app.",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every conversation, into one file")
    which.add_argument("id", nargs="?", type=int, metavar="ID", help="one conversation")
    export.add_argument(
        "--format", choices=("md", "json"), help="default: from the file name, else json"
    )
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.set_defaults(func=_export)

    import_ = subparsers.add_parser(
        "import",
        help="import conversations from a JSON export",
        description="Add the conversations in a JSON file written by `export` (new ids; "
        "nothing already stored is changed). A damaged file is refused as a whole.",
    )
    import_.add_argument("file", type=Path, metavar="FILE")
    import_.set_defaults(func=_import)

    history = subparsers.add_parser(
        "history",
        help="list or search conversations",
        description="List conversations, newest first, or search every message.",
    )
    history.add_argument("--search", metavar="TEXT", help="words to find (any language)")
    history.add_argument("--limit", type=int, default=50, help="most search results to show")
    history.set_defaults(func=_history)


def _fail(command: str, message: str) -> int:
    print(f"desktop-chat {command}: error: {message}", file=sys.stderr)
    return 1


def _with_store(command: str, action: Callable[[Store], int]) -> int:
    try:
        store, notice = open_store(paths.database_file())
    except StoreError as exc:
        return _fail(command, str(exc))
    except OSError as exc:
        return file_error(command, exc, "The conversation history could not be opened")
    if notice:
        print(f"warning: {notice}", file=sys.stderr)
    try:
        return action(store)
    except StoreError as exc:
        return _fail(command, str(exc))
    except OSError as exc:
        return file_error(command, exc)
    finally:
        store.close()


def _plural(count: int) -> str:
    return f"{count} conversation" + ("" if count == 1 else "s")


def _export(args: argparse.Namespace) -> int:
    output: Path = args.output
    fmt = args.format or ("md" if output.suffix.lower() in (".md", ".markdown") else "json")
    ids = None if args.all else [args.id]

    def run(store: Store) -> int:
        if ids is not None:
            store.get_conversation(ids[0])  # a clear "does not exist" before writing anything
        if fmt == "md":
            count = store.export_markdown(output, ids)
        else:
            count = store.export_json(output, ids)
        print(f"Exported {_plural(count)} to {output}.")
        return 0

    return _with_store("export", run)


def _import(args: argparse.Namespace) -> int:
    def run(store: Store) -> int:
        new_ids = store.import_archive(args.file)
        print(f"Imported {_plural(len(new_ids))} from {args.file}.")
        return 0

    return _with_store("import", run)


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def _history(args: argparse.Namespace) -> int:
    def run(store: Store) -> int:
        if args.search is not None:
            hits = store.search(args.search, limit=args.limit)
            if not hits:
                print(f"No messages contain {args.search!r}.")
            for hit in hits:
                print(f"[{hit.conversation_id}] {hit.conversation_title or '(untitled)'}")
                print(f"    {_when(hit.created)} {hit.role}: {hit.snippet}")
            return 0
        conversations = store.list_conversations()
        if not conversations:
            print("No conversations yet.")
        for group, items in group_conversations(conversations, datetime.now()):
            print(f"{group}:")
            for conversation in items:
                title = conversation.title or "(untitled)"
                print(f"  {conversation.id:>5}  {_when(conversation.updated)}  {title}")
        return 0

    return _with_store("history", run)
