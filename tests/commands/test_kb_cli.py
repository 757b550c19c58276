"""The `kb` subcommand end to end: create, list, search (text and JSON), delete."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from desktop_chat.commands import kb as kb_command


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="desktop-chat")
    kb_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "returns.md").write_text(
        "# Returns\n\n## Refunds\n\nRefunds are paid within 5 business days.\n\n"
        "## Exchanges\n\nExchanges are free once per order.\n",
        "utf-8",
    )
    (folder / "photo.txt").write_bytes(b"\x00\x01\x02binary")
    return folder


def test_create_list_search_delete(faq: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "create", "shop", str(faq)]) == 0
    out = capsys.readouterr().out
    assert "Skipped photo.txt: binary file." in out
    assert "1 documents, 2 passages" in out

    assert run(["kb", "list"]) == 0
    assert capsys.readouterr().out.startswith("shop\t1 documents")

    assert run(["kb", "search", "shop", "when do I get my money back", "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert "Returns > Refunds (returns.md)" in out and "5 business days" in out

    assert run(["kb", "search", "shop", "refunds", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = json.loads(lines[0])
    assert set(first) == {"source", "section", "score", "text"}
    assert first["section"] == "Returns > Refunds" and first["source"] == "returns.md"

    assert run(["kb", "delete", "shop"]) == 0
    assert run(["kb", "delete", "shop"]) == 1
    assert "no knowledge base" in capsys.readouterr().err


def test_empty_kb_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["kb", "create", "nothing", str(empty)]) == 0
    assert "is empty" in capsys.readouterr().out
    assert run(["kb", "search", "nothing", "refund"]) == 0
    assert "is empty" in capsys.readouterr().err


def test_off_topic_search_and_missing_kb(faq: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["kb", "create", "shop", str(faq)])
    capsys.readouterr()
    assert run(["kb", "search", "shop", "what is the capital of France", "--json"]) == 0
    assert capsys.readouterr().out == ""
    assert run(["kb", "search", "missing", "refund"]) == 1
    assert run(["kb", "list"]) == 0
