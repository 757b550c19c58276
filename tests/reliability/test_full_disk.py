"""A small, really full filesystem (a tmpfs mounted in the test) under settings, the store, the
knowledge base and downloads: a sentence each, no traceback, no partial file that looks good,
and everything works again once space is freed. Skipped where mounting is not allowed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import cli, paths
from desktop_chat.models import hub
from desktop_chat.models import library as model_library
from desktop_chat.models.download import DiskFull, Outcome, download_file, part_path
from desktop_chat.store import open_store
from tests.commands import disk
from tests.commands.streaming import child_env, integrity
from tests.fakes.fake_hub import FakeHub, fake_hub, payload, sha256
from tests.models.gguf_factory import write_tiny_gguf

__all__ = ["fake_hub"]  # the fixture, imported for this module's tests


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """DESKTOP_CHAT_HOME on its own tmpfs (96 MB: downloads keep a 64 MB margin); yields it."""
    with disk.small_disk(tmp_path / "disk", size="96m") as mount:
        home = mount / "home"
        home.mkdir()
        monkeypatch.setenv("DESKTOP_CHAT_HOME", str(home))
        yield mount


def _home(mount: Path) -> Path:
    return mount / "home"


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _chat(home: Path, smollm: Path, prompt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_chat", "chat", "--max-tokens", "16", "--seed", "1",
         "--model", str(smollm), prompt],
        capture_output=True, text=True, env=child_env(home), timeout=240,
    )  # fmt: skip


def _looks_partial(home: Path) -> list[str]:
    """Files a failed write may have left that a later run could take for good ones."""
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if p.is_file()
        and (p.name.startswith(".") or p.name.endswith((".tmp", ".importing", "-journal")))
    )


def test_settings_on_a_full_disk(full_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = _home(full_disk)
    assert _cli(["config", "set", "generation.top_k", "20"], capsys)[0] == 0
    disk.fill(full_disk)
    code, _out, err = _cli(["config", "set", "generation.top_k", "30"], capsys)
    assert code == 1 and "the disk is full" in err and "nothing changed" in err
    assert _looks_partial(home) == []
    stored = json.loads((home / "config" / "settings.json").read_text("utf-8"))
    assert stored["generation"]["top_k"] == 20
    disk.free(full_disk)
    assert _cli(["config", "set", "generation.top_k", "30"], capsys)[0] == 0
    assert _cli(["config", "get", "generation.top_k"], capsys)[1].strip() == "30"


def test_the_store_on_a_full_disk(full_disk: Path, smollm_path: Path) -> None:
    home = _home(full_disk)
    first = _chat(home, smollm_path, "Say hello.")
    assert first.returncode == 0, first.stderr
    disk.fill(full_disk)

    refused = _chat(home, smollm_path, "Say goodbye.")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr and "Logging error" not in refused.stderr
    assert "full" in refused.stderr and "--no-save" in refused.stderr
    database = home / "data" / "conversations.sqlite3"
    disk.free(full_disk)  # sqlite cannot even read a WAL database without room for its index
    assert integrity(database) == "ok"
    again = _chat(home, smollm_path, "Say goodbye.")
    assert again.returncode == 0, again.stderr
    store, notice = open_store(database)
    try:
        assert notice is None
        titles = sorted(c.title for c in store.list_conversations())
        assert titles == ["Say goodbye.", "Say hello."]
        for conversation in store.list_conversations():
            answer = store.active_thread(conversation.id)[-1]
            assert answer.role == "assistant" and answer.complete and answer.content
    finally:
        store.close()
    assert _looks_partial(home) == []


def test_a_knowledge_base_on_a_full_disk(
    full_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "returns.md").write_text("# Returns\n\n## Refunds\n\nRefunds take 5 days.\n")
    assert _cli(["kb", "list"], capsys)[0] == 0
    disk.fill(full_disk)
    code, _out, err = _cli(["kb", "create", "shop", str(docs)], capsys)
    assert code == 1 and "the disk is full" in err
    assert list(paths.kb_dir().iterdir()) == []  # nothing that could "already exist"
    disk.free(full_disk)
    code, out, _err = _cli(["kb", "create", "shop", str(docs)], capsys)
    assert code == 0 and "1 documents, 1 passages" in out
    assert _cli(["kb", "list"], capsys)[1].startswith("shop\t1 documents")


def test_a_download_refused_for_space_then_done(
    full_disk: Path, fake_hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = write_tiny_gguf(tmp_path / "tiny-Q4_0.gguf").read_bytes()
    fake_hub.add_repo("org/tiny-GGUF", {"tiny-Q4_0.gguf": model})
    assert _cli(["models", "list"], capsys)[0] == 0
    disk.fill(full_disk)
    code, _out, err = _cli(["models", "download", "org/tiny-GGUF", "tiny-Q4_0.gguf"], capsys)
    assert code == 1 and "Not enough free disk space" in err
    dest = paths.models_dir() / "tiny-Q4_0.gguf"
    assert not dest.exists()
    disk.free(full_disk)
    code, _out, err = _cli(["models", "download", "org/tiny-GGUF", "tiny-Q4_0.gguf"], capsys)
    assert code == 0, err
    assert sha256(dest.read_bytes()) == sha256(model)
    assert [e.path for e in model_library.scan(include_starter=False)] == [dest]


def test_a_disk_that_fills_during_a_download_keeps_a_resumable_part(
    full_disk: Path, fake_hub: FakeHub
) -> None:
    body = payload(4_000_000)
    fake_hub.add_repo("org/big-GGUF", {"big-Q4_0.gguf": body})
    url = hub.file_url("org/big-GGUF", "big-Q4_0.gguf")
    dest = paths.models_dir() / "big-Q4_0.gguf"
    filled = threading.Event()

    def another_program_fills_the_disk(_progress: object) -> None:
        if not filled.is_set():
            filled.set()
            disk.fill(full_disk)

    with pytest.raises(DiskFull, match="The disk is full"):
        download_file(
            url, dest, sha256=sha256(body), size=len(body),
            on_progress=another_program_fills_the_disk,
        )  # fmt: skip
    assert not dest.exists()  # never a final file that is not the whole, verified one
    kept = part_path(dest).stat().st_size
    assert 0 < kept < len(body)
    assert model_library.scan(include_starter=False) == []

    disk.free(full_disk)
    assert download_file(url, dest, sha256=sha256(body), size=len(body)) is Outcome.COMPLETED
    assert sha256(dest.read_bytes()) == sha256(body)
    assert fake_hub.file_requests("big-Q4_0.gguf")[-1].get("Range", "").startswith("bytes=")
