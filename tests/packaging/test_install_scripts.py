"""install.sh / uninstall.sh from the tarball, run for real into a temporary HOME and XDG_DATA_HOME."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import struct
import subprocess
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "desktop_chat" / "resources" / "icons"
APP_ID = "org.desktopchat.DesktopChat"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# A stand-in for the PyInstaller onedir app: it prints its arguments, so the launcher and the
# menu entry can be checked end to end without building the bundle.
FAKE_APP = '#!/bin/sh\necho "fake desktop-chat: $*"\n'


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    result = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _files(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir()}


@pytest.fixture
def tarball_tree(tmp_path: Path) -> Path:
    """The unpacked tarball's folder, laid out by the same stage.sh build.sh uses."""
    app = tmp_path / "onedir"
    (app / "_internal").mkdir(parents=True)
    (app / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    exe = app / "desktop-chat"
    exe.write_text(FAKE_APP)
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    stage = tmp_path / "desktop-chat-test-linux-x86_64"
    subprocess.run(["bash", str(PACKAGING / "stage.sh"), str(app), str(stage)], check=True)
    return stage


def _env(tmp_path: Path, data_name: str = "data") -> dict[str, str]:
    home = tmp_path / "user"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(tmp_path / data_name),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
    }


def _expected(data: Path) -> list[Path]:
    icons = [data / f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in SIZES]
    return [
        data / "desktop-chat/app/desktop-chat",
        data / "desktop-chat/app/uninstall.sh",
        data / "desktop-chat/app/_internal/base_library.zip",
        data / f"applications/{APP_ID}.desktop",
        data / f"icons/hicolor/scalable/apps/{APP_ID}.svg",
        data / f"mime/packages/{APP_ID}-mime.xml",
        data / f"metainfo/{APP_ID}.metainfo.xml",
        *icons,
    ]


def _exec_argv(desktop_file: Path) -> list[str]:
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop_file, encoding="utf-8")
    return shlex.split(entry["Desktop Entry"]["Exec"])


def test_install_puts_every_file_in_place_and_uninstall_takes_them_away(
    tarball_tree: Path, tmp_path: Path
) -> None:
    env = _env(tmp_path)
    data = Path(env["XDG_DATA_HOME"])
    launcher = Path(env["HOME"]) / ".local/bin/desktop-chat"
    # The user's conversations already live in the data folder the app shares with the install.
    user_db = data / "desktop-chat/conversations.sqlite3"
    user_db.parent.mkdir(parents=True)
    user_db.write_bytes(b"my chats")

    out = _run(["./install.sh"], env, cwd=tarball_tree)
    assert "installed" in out

    for path in _expected(data):
        assert path.is_file(), f"install.sh did not write {path}"
    assert os.access(data / "desktop-chat/app/desktop-chat", os.X_OK)
    for size in SIZES:
        png = data / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        assert _png_size(png) == (size, size)

    # The launcher and the menu entry both reach the installed app with their arguments.
    assert (
        _run([str(launcher), "chat", "Hi there"], env).strip() == "fake desktop-chat: chat Hi there"
    )
    argv = _exec_argv(data / f"applications/{APP_ID}.desktop")
    assert argv[0] == str(data / "desktop-chat/app/desktop-chat")
    assert argv[1:] == ["%F"]
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    assert _run([argv[0], str(model)], env).strip() == f"fake desktop-chat: {model}"

    if shutil.which("update-mime-database"):
        assert (data / "mime/application/x-gguf.xml").is_file()
        globs = (data / "mime/globs2").read_text()
        assert "application/x-gguf:*.gguf" in globs

    # Uninstall from where install.sh put it (the unpacked tarball may be gone by then).
    out = _run([str(data / "desktop-chat/app/uninstall.sh")], env)
    assert "conversations and models stay" in out
    assert not launcher.exists()
    assert _files(data) == {"desktop-chat/conversations.sqlite3"}, "uninstall.sh left files behind"
    assert user_db.read_bytes() == b"my chats"
    assert _files(Path(env["HOME"])) == set()

    out = _run([str(tarball_tree / "uninstall.sh"), "--purge"], env)
    assert not data.exists() or _files(data) == set()


def test_desktop_file_and_metainfo_pass_the_validators(tarball_tree: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, data_name="data with space")
    data = Path(env["XDG_DATA_HOME"])
    _run(["./install.sh"], env, cwd=tarball_tree)
    desktop_file = data / f"applications/{APP_ID}.desktop"
    # A folder name with a space stays one argument in the menu entry.
    assert _exec_argv(desktop_file)[0] == str(data / "desktop-chat/app/desktop-chat")

    validated = 0
    if shutil.which("desktop-file-validate"):
        _run(["desktop-file-validate", str(desktop_file)], env)
        _run(["desktop-file-validate", str(PACKAGING / f"{APP_ID}.desktop")], env)
        validated += 1
    if shutil.which("appstreamcli"):
        _run(
            ["appstreamcli", "validate", "--no-net", str(data / f"metainfo/{APP_ID}.metainfo.xml")],
            env,
        )
        validated += 1
    _run([str(tarball_tree / "uninstall.sh")], env)
    assert _files(data) == set()
    if validated < 2:
        pytest.skip(
            "desktop-file-validate or appstreamcli is not installed (Debian: desktop-file-utils, appstream)"
        )


def test_installing_again_upgrades_in_place(tarball_tree: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    data = Path(env["XDG_DATA_HOME"])
    _run(["./install.sh"], env, cwd=tarball_tree)
    stale = data / "desktop-chat/app/_internal/old-library.so"
    stale.write_bytes(b"from the previous version")
    (tarball_tree / "desktop-chat/desktop-chat").unlink()
    (tarball_tree / "desktop-chat/desktop-chat").write_text(FAKE_APP.replace("fake", "new"))
    (tarball_tree / "desktop-chat/desktop-chat").chmod(0o755)

    _run(["./install.sh"], env, cwd=tarball_tree)
    launcher = Path(env["HOME"]) / ".local/bin/desktop-chat"
    assert _run([str(launcher), "--version"], env).startswith("new desktop-chat")
    assert not stale.exists(), "files of the old version stay behind"
    assert not (data / "desktop-chat/app.old").exists()
    assert not (data / "desktop-chat/app.new").exists()


def test_a_launcher_that_is_not_ours_is_left_alone(tarball_tree: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    launcher = Path(env["HOME"]) / ".local/bin/desktop-chat"
    launcher.parent.mkdir(parents=True)
    launcher.write_text("#!/bin/sh\necho pip console script\n")
    out = _run(["./install.sh"], env, cwd=tarball_tree)
    assert "not ours" in out
    assert "pip console script" in launcher.read_text()
    _run([str(tarball_tree / "uninstall.sh")], env)
    assert "pip console script" in launcher.read_text()


def test_install_refuses_without_the_app_next_to_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(PACKAGING / "install.sh", lone)
    result = subprocess.run(
        ["bash", str(lone / "install.sh")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "run it from the unpacked tarball" in result.stderr
    assert not Path(env["XDG_DATA_HOME"]).exists()


def test_the_icons_and_the_mime_type_are_complete() -> None:
    assert (ROOT / "assets/icon.svg").read_bytes() == (ICONS / "desktop-chat.svg").read_bytes()
    for size in SIZES:
        assert _png_size(ICONS / f"desktop-chat-{size}.png") == (size, size)
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(PACKAGING / f"{APP_ID}-mime.xml").getroot()
    types = {t.get("type"): t for t in mime.findall("m:mime-type", ns)}
    assert types["application/x-gguf"].find("m:glob", ns).get("pattern") == "*.gguf"  # type: ignore[union-attr]
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / f"{APP_ID}.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID
    assert set(section["MimeType"].strip(";").split(";")) == {
        "application/x-gguf",
        "application/json",
    }


def _fake_bundle(tmp_path: Path, self_test_line: str) -> Path:
    exe = tmp_path / "bundle" / "desktop-chat"
    exe.parent.mkdir()
    exe.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        '  --version) echo "desktop-chat 9.9" ;;\n'
        f"  --self-test) echo '{self_test_line}' ;;\n"
        '  chat) echo "Hello! How can I help?" ;;\n'
        "esac\n"
    )
    exe.chmod(0o755)
    return exe


def test_smoke_sh_passes_a_bundle_that_answers(tmp_path: Path) -> None:
    exe = _fake_bundle(tmp_path, '{"ok": true, "tokens": 3}')
    # The stand-in has no Qt to open on X; the minimal-desktop step is for the real bundle.
    env = {**_env(tmp_path), "SMOKE_XCB": "0"}
    out = _run(["bash", str(PACKAGING / "smoke.sh"), str(exe)], env)
    assert "smoke.sh: ok" in out


def test_smoke_sh_fails_a_bundle_whose_self_test_fails(tmp_path: Path) -> None:
    exe = _fake_bundle(tmp_path, '{"ok": false, "error": "no model"}')
    result = subprocess.run(
        ["bash", str(PACKAGING / "smoke.sh"), str(exe)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "--self-test did not print" in result.stderr


def test_smoke_sh_says_how_to_build_when_there_is_no_bundle(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(PACKAGING / "smoke.sh"), str(tmp_path / "missing" / "desktop-chat")],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "run bash packaging/build.sh first" in result.stderr
