"""Writes fixtures/v1.sqlite3, a database in the first released schema, for the migration test.

Run it only if the fixture must be rebuilt: `python tests/store/make_v1_fixture.py`."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

FIXTURE = Path(__file__).with_name("fixtures") / "v1.sqlite3"

# (title, created, updated, model, pinned, [(role, content, created, tokens, model, ttft_s,
#  tokens_per_s, stop_reason, complete)])
CONVERSATIONS = [
    (
        "Refund policy",
        1_700_000_000.0,
        1_700_000_100.0,
        "SmolLM2-135M-Instruct.Q4_1.gguf",
        0,
        [
            ("user", "What is your refund policy?", 1_700_000_000.0, 7, None, None, None, None, 1),
            (
                "assistant",
                "Refunds are accepted within 30 days. 退款在三十天内受理。",
                1_700_000_010.0,
                21,
                "SmolLM2-135M-Instruct.Q4_1.gguf",
                0.12,
                48.5,
                "done",
                1,
            ),
            ("user", "我的订单什么时候发货?", 1_700_000_090.0, 9, None, None, None, None, 1),
            (
                "assistant",
                "Orders ship within two working days",
                1_700_000_100.0,
                8,
                "SmolLM2-135M-Instruct.Q4_1.gguf",
                0.05,
                51.0,
                "stopped",
                0,
            ),
        ],
    ),
    (
        "Pinned notes",
        1_690_000_000.0,
        1_690_000_050.0,
        None,
        1,
        [
            (
                "user",
                "Remember: the shop opens at nine.",
                1_690_000_000.0,
                9,
                None,
                None,
                None,
                None,
                1,
            )
        ],
    ),
]


def build(target: Path = FIXTURE) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from desktop_chat.store.schema import migrate

    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(str(target), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, target=1)
        conn.execute("BEGIN")
        for title, created, updated, model, pinned, messages in CONVERSATIONS:
            cursor = conn.execute(
                "INSERT INTO conversations (title, created, updated, model, pinned)"
                " VALUES (?, ?, ?, ?, ?)",
                (title, created, updated, model, pinned),
            )
            for message in messages:
                conn.execute(
                    "INSERT INTO messages (conversation_id, role, content, created, tokens, model,"
                    " ttft_s, tokens_per_s, stop_reason, complete)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (cursor.lastrowid, *message),
                )
        conn.execute("COMMIT")
        # A single self-contained file (no -wal beside it) is what gets committed.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return target


if __name__ == "__main__":
    print(build())
