"""The `kb` subcommand: create, list, search and delete knowledge bases from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_chat.commands.errors import guard
from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb import library
from desktop_chat.kb.index import IndexReport, KbError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kb = subparsers.add_parser("kb", help="manage knowledge bases for grounded answers")
    actions = kb.add_subparsers(dest="kb_command", required=True)

    create = actions.add_parser("create", help="index files or folders into a new knowledge base")
    create.add_argument("name")
    create.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    create.set_defaults(func=guard("kb", _create))

    actions.add_parser("list", help="list knowledge bases").set_defaults(func=guard("kb", _list))

    search = actions.add_parser("search", help="show the passages that answer a question")
    search.add_argument("name")
    search.add_argument("question")
    search.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.set_defaults(func=guard("kb", _search))

    delete = actions.add_parser("delete", help="delete a knowledge base")
    delete.add_argument("name")
    delete.set_defaults(func=guard("kb", _delete))


def _error(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _folder_error(exc: OSError) -> int:
    return _error(
        f"The knowledge base folder cannot be used ({os_error_reason(exc)}). Free some disk "
        "space or check the folder's permissions."
    )


def _print_report(report: IndexReport) -> None:
    for skipped in report.skipped:
        print(f"Skipped {skipped.path}: {skipped.reason}.")


def _create(args: argparse.Namespace) -> int:
    try:
        report = library.create_kb(args.name, args.paths)
        with library.open_kb(args.name) as kb:
            stats = kb.stats()
    except KbError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _folder_error(exc)
    _print_report(report)
    if stats.passages == 0:
        print(f'Knowledge base "{args.name}" was created but is empty: no readable files found.')
    else:
        print(
            f'Knowledge base "{args.name}" created: {stats.documents} documents, '
            f"{stats.passages} passages."
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        names = library.list_kbs()
    except OSError as exc:
        return _folder_error(exc)
    if not names:
        print("No knowledge bases yet. Create one with: desktop-chat kb create NAME PATH...")
        return 0
    for name in names:
        try:
            with library.open_kb(name) as kb:
                stats = kb.stats()
            print(f"{name}\t{stats.documents} documents\t{stats.passages} passages")
        except KbError as exc:
            print(f"{name}\t{exc}")
    return 0


def _search(args: argparse.Namespace) -> int:
    try:
        with library.open_kb(args.name) as kb:
            empty = kb.stats().passages == 0
            passages = kb.search(args.question, k=args.k)
    except KbError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _folder_error(exc)
    if empty:
        print(f'Knowledge base "{args.name}" is empty.', file=sys.stderr)
        return 0
    if args.json:
        for p in passages:
            row = {"source": p.source, "section": p.section, "score": p.score, "text": p.text}
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not passages:
        print("No passage matches this question.")
    for rank, p in enumerate(passages, start=1):
        print(f"{rank}. [{p.score:.2f}] {p.section} ({p.source})")
        print("   " + p.text.replace("\n", "\n   "))
    return 0


def _delete(args: argparse.Namespace) -> int:
    try:
        found = library.delete_kb(args.name)
    except KbError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _folder_error(exc)
    if not found:
        return _error(f'There is no knowledge base called "{args.name}".')
    print(f'Deleted knowledge base "{args.name}".')
    return 0
