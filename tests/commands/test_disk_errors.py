"""Commands on a full disk or a read-only folder: a sentence and exit code 1, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import cli
from tests.commands import disk
from tests.commands.streaming import child_env


@pytest.fixture
def disk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """DESKTOP_CHAT_HOME on a small tmpfs of its own."""
    with disk.small_disk(tmp_path / "disk") as mount:
        home = mount / "home"
        home.mkdir()
        monkeypatch.setenv("DESKTOP_CHAT_HOME", str(home))
        yield home


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _stray_files(folder: Path) -> list[str]:
    """Temporary or partial files a failed write left behind."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and (p.name.startswith(".") or p.suffix in (".tmp", ".importing"))
    )


def test_config_set_on_a_full_disk_changes_nothing_and_says_so(
    disk_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["config", "set", "generation.temperature", "0.5"], capsys)[0] == 0
    disk.fill(disk_home.parent)
    code, _out, err = _run(["config", "set", "generation.temperature", "0.9"], capsys)
    assert code == 1
    assert "The settings could not be saved, so nothing changed (the disk is full" in err
    assert "Traceback" not in err
    assert _stray_files(disk_home) == []
    saved = json.loads((disk_home / "config" / "settings.json").read_text())
    assert saved["generation"]["temperature"] == 0.5

    disk.free(disk_home.parent)
    assert _run(["config", "set", "generation.temperature", "0.9"], capsys)[0] == 0
    assert _run(["config", "get", "generation.temperature"], capsys)[1].strip() == "0.9"


def test_models_import_link_on_a_full_disk_is_a_sentence(
    disk_home: Path, smollm_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["models", "list"], capsys)[0] == 0  # creates the folders while there is room
    disk.fill(disk_home.parent)
    code, _out, err = _run(["models", "import", "--link", str(smollm_path)], capsys)
    assert code == 1
    assert "The model could not be registered, so the library is unchanged" in err
    assert "the disk is full" in err
    assert _stray_files(disk_home) == []
    assert not (disk_home / "data" / "registered_models.json").exists()

    disk.free(disk_home.parent)
    code, out, err = _run(["models", "import", "--link", str(smollm_path)], capsys)
    assert code == 0, err
    assert out.startswith("Registered ")


def test_a_read_only_home_is_a_sentence_for_every_command(
    disk_home: Path, smollm_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    disk.make_read_only(disk_home.parent)
    # Reading works on defaults; every write is refused with a sentence.
    assert _run(["config", "get", "generation.temperature"], capsys)[1].strip() == "0.7"
    commands = [
        ["models", "list"],
        ["config", "set", "generation.temperature", "0.5"],
        ["models", "import", "--link", str(smollm_path)],
        ["kb", "list"],
        ["kb", "create", "shop", str(smollm_path.parent)],
        ["history"],
    ]
    for argv in commands:
        code, _out, err = _run(argv, capsys)
        assert code == 1, argv
        assert "read-only" in err, (argv, err)
        assert "Traceback" not in err


LOGGING_SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from pathlib import Path
    from desktop_chat import logs
    logs.setup()
    log = logging.getLogger("probe")
    log.info("written while the disk is full")
    log.warning("a warning while the disk is full")
    log.info("another line")
    Path(sys.argv[1]).unlink(missing_ok=True)  # space comes back
    log.info("written after space came back")
    for handler in logging.getLogger().handlers:
        handler.flush()
    """
)


def test_logging_on_a_full_fresh_home_is_one_sentence_then_resumes(disk_home: Path) -> None:
    disk.fill(disk_home.parent)
    result = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT, str(disk_home.parent / disk.FILLER)],
        capture_output=True, text=True, env=child_env(disk_home), timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "cannot write the log" in line]) == 1, lines
    assert "the disk is full" in result.stderr or "No space left" in result.stderr
    assert any("a warning while the disk is full" in line for line in lines)
    log_file = disk_home / "logs" / "desktop-chat.log"
    assert "written after space came back" in log_file.read_text("utf-8")


def test_logging_in_a_read_only_home_is_one_sentence(disk_home: Path) -> None:
    disk.make_read_only(disk_home.parent)
    result = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT, "/nonexistent/filler"],
        capture_output=True, text=True, env=child_env(disk_home), timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "cannot write the log" in line]) == 1, lines
    assert any("a warning while the disk is full" in line for line in lines)
