"""`desktop-chat models …` end to end: real files, the fake Hub, a closed port for offline."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.commands import models as models_cmd
from desktop_chat.models.download import part_path
from tests.fakes.fake_hub import FakeHub, closed_port_url, fake_hub, payload, sha256
from tests.models.gguf_factory import write_tiny_gguf

__all__ = ["fake_hub"]  # the fixture, imported for this module's tests


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    models_cmd.register(sub)
    args = parser.parse_args(["models", *argv])
    return int(args.func(args))


def test_check_valid_and_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_tiny_gguf(tmp_path / "good.gguf")
    assert run("check", str(good)) == 0
    out = capsys.readouterr().out
    assert "architecture" in out and "llama" in out
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(good.read_bytes()[:1000])
    assert run("check", str(bad)) == 1
    assert "truncated" in capsys.readouterr().err


def test_import_list_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tiny_gguf(tmp_path / "mine.gguf", name="Mine")
    assert run("import", str(source)) == 0
    assert run("list") == 0
    assert "Mine" in capsys.readouterr().out
    assert run("delete", "mine.gguf") == 0
    assert not (paths.models_dir() / "mine.gguf").exists()
    assert run("delete", "nothing-here") == 1
    assert run("import", str(source), "--link") == 0
    assert source.exists()


def test_search_files_download(fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    body = payload(300_000)
    fake_hub.add_repo("org/cli-GGUF", {"cli-Q4_K_M.gguf": body}, downloads=5)
    assert run("search", "cli") == 0
    assert "org/cli-GGUF" in capsys.readouterr().out
    assert run("files", "org/cli-GGUF") == 0
    assert "Q4_K_M" in capsys.readouterr().out
    dest = paths.models_dir() / "cli-Q4_K_M.gguf"
    part_path(dest).write_bytes(body[:100_000])  # an earlier interrupted run
    assert run("download", "org/cli-GGUF", "cli-Q4_K_M.gguf") == 1  # payload is not a GGUF
    assert sha256(dest.read_bytes()) == sha256(body)
    assert fake_hub.file_requests("cli-Q4_K_M.gguf")[0].get("Range") == "bytes=100000-"
    assert "not a GGUF" in capsys.readouterr().err


def test_download_of_a_corrupted_file_fails_cleanly(
    fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_hub.add_repo("org/bad-GGUF", {"bad-Q4_0.gguf": payload(50_000)})
    fake_hub.fail_next("bad-Q4_0.gguf", "wrong")
    assert run("download", "org/bad-GGUF", "bad-Q4_0.gguf") == 1
    assert "checksum does not match" in capsys.readouterr().err
    assert not (paths.models_dir() / "bad-Q4_0.gguf").exists()


def test_offline_is_a_sentence_within_two_seconds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    started = time.monotonic()
    assert run("search", "qwen") == 1
    assert time.monotonic() - started < 2.0
    assert capsys.readouterr().err.startswith("Offline")
