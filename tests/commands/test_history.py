"""The export, import and history subcommands, run through a real parser on a real database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.commands.history import register
from desktop_chat.store import ARCHIVE_FORMAT, open_store


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="desktop-chat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    result: int = args.func(args)
    return result


@pytest.fixture
def chats() -> tuple[int, int]:
    store, _ = open_store()
    shop = store.create_conversation("Shop")
    question = store.add_message(shop.id, "user", "退款要多久？")
    store.add_message(
        shop.id, "assistant", "Refunds take five days.", citations=[{"source": "faq"}]
    )
    store.add_message(shop.id, "assistant", "Five days.", parent_id=question.id)
    other = store.create_conversation("Pasta")
    store.add_message(other.id, "user", "How long to boil spaghetti?")
    store.close()
    return shop.id, other.id


def test_export_all_json_and_import_it_back(
    chats: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "all.json"
    assert run("export", "--all", "--format", "json", "-o", str(target)) == 0
    assert f"Exported 2 conversations to {target}." in capsys.readouterr().out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == ARCHIVE_FORMAT and len(data["conversations"]) == 2

    assert run("import", str(target)) == 0
    assert "Imported 2 conversations" in capsys.readouterr().out
    store, _ = open_store()
    titles = sorted(c.title for c in store.list_conversations())
    assert titles == ["Pasta", "Pasta", "Shop", "Shop"]
    copies = [c for c in store.list_conversations() if c.title == "Shop"]
    assert {len(store.archive_data([c.id])["conversations"][0]["messages"]) for c in copies} == {3}
    store.close()


def test_export_one_as_markdown(
    chats: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop_id, _ = chats
    target = tmp_path / "shop.md"
    assert run("export", str(shop_id), "-o", str(target)) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Shop") and "退款要多久？" in text and "Pasta" not in text
    assert "Exported 1 conversation to" in capsys.readouterr().out


def test_export_unknown_id_fails_clearly(
    chats: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"
    assert run("export", "999", "--format", "json", "-o", str(target)) == 1
    err = capsys.readouterr().err
    assert "Conversation 999 does not exist." in err
    assert not target.exists()


def test_export_needs_all_or_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run("export", "--format", "md", "-o", "x.md")
    assert caught.value.code == 2


def test_import_refuses_bad_file_and_changes_nothing(
    chats: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": ARCHIVE_FORMAT, "version": 99, "conversations": []}))
    assert run("import", str(newer)) == 1
    captured = capsys.readouterr()
    assert "newer version of desktop-chat" in captured.err and captured.out == ""
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    assert run("import", str(broken)) == 1
    assert "not valid JSON" in capsys.readouterr().err
    store, _ = open_store()
    assert len(store.list_conversations()) == 2
    store.close()


def test_history_lists_and_searches(
    chats: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    shop_id, pasta_id = chats
    assert run("history") == 0
    out = capsys.readouterr().out
    assert out.startswith("Today:") and "Shop" in out and "Pasta" in out
    assert out.index("Pasta") < out.index("Shop")

    assert run("history", "--search", "退款") == 0
    out = capsys.readouterr().out
    assert f"[{shop_id}] Shop" in out and "user: 退款要多久？" in out

    assert run("history", "--search", "spaghetti") == 0
    assert f"[{pasta_id}] Pasta" in capsys.readouterr().out

    assert run("history", "--search", "nowhere to be found") == 0
    assert "No messages contain" in capsys.readouterr().out


def test_history_on_empty_and_on_damaged_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("history") == 0
    assert "No conversations yet." in capsys.readouterr().out
    paths.database_file().write_bytes(b"garbage" * 1000)
    assert run("history") == 0
    captured = capsys.readouterr()
    assert "warning: Your conversation history could not be read" in captured.err
