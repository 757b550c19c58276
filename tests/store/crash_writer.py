"""Crash-safety helpers: check a database file, and a child process that streams until killed."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path


def database_problems(path: Path) -> list[str]:
    """Empty when the file passes integrity_check, foreign_key_check and the FTS self-check.

    Opens its own connection, so it can check a file another process left behind (a crash
    test kills the writer, then calls this)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
        has_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
        if has_fts:
            try:
                conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index: {exc}")
        return problems
    finally:
        conn.close()


def stream_until_killed(path: Path, interval_s: float = 0.05, chunk: str = "token ") -> None:
    """Write a growing answer the way the chat view does, forever; meant to be killed.

    Prints ``message <id>`` once, then ``saved <length>`` after each committed write, so the
    parent knows how much text must survive the kill."""
    from desktop_chat.store.store import open_store

    store, _ = open_store(path)
    conversation = store.create_conversation("crash test")
    store.add_message(conversation.id, "user", "Write forever.")
    answer = store.add_message(conversation.id, "assistant", "", complete=False)
    print(f"message {answer.id}", flush=True)
    text = ""
    while True:
        text += chunk
        store.update_message(answer.id, content=text)
        print(f"saved {len(text)}", flush=True)
        time.sleep(interval_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.store.crash_writer")
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="print problems in a database file")
    check.add_argument("path", type=Path)
    stream = sub.add_parser("stream", help="stream an answer into a database until killed")
    stream.add_argument("path", type=Path)
    stream.add_argument("--interval", type=float, default=0.05)
    args = parser.parse_args(argv)
    if args.action == "stream":
        stream_until_killed(args.path, args.interval)
        return 0
    problems = database_problems(args.path)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
