"""The xcb pre-check: when the platform is X11, which libraries are missing and what installs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop_chat import qt_platform_check as check

X11 = {"DISPLAY": ":0"}


def test_xcb_is_detected_only_for_x11_without_wayland_or_override() -> None:
    assert check.platform_would_be_xcb(X11)
    assert check.platform_would_be_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert check.platform_would_be_xcb({"QT_QPA_PLATFORM": "xcb;wayland", "DISPLAY": ":1"})
    assert not check.platform_would_be_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not check.platform_would_be_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not check.platform_would_be_xcb({"QT_QPA_PLATFORM": "wayland"})
    assert not check.platform_would_be_xcb({})


def test_a_fake_library_list_gives_the_commands_for_each_distribution() -> None:
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"}
    text = check.check(X11, loadable=lambda name: name not in absent, search_dirs=[])
    assert text is not None
    for name in absent:
        assert name in text
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-keysyms xcb-util-wm" in text
    assert "sudo pacman -S --needed xcb-util-cursor xcb-util-keysyms xcb-util-wm" in text


def test_nothing_is_said_when_everything_loads_or_the_platform_is_not_xcb() -> None:
    assert check.check(X11, loadable=lambda _name: True, search_dirs=[]) is None
    assert check.check({"QT_QPA_PLATFORM": "offscreen"}, loadable=lambda _n: False) is None


def test_the_bundle_lib_folder_counts_before_the_system(tmp_path: Path) -> None:
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    missing = check.missing_libraries(
        ["libxcb-cursor.so.0", "libxcb-icccm.so.4"], [tmp_path], loadable=lambda _n: False
    )
    assert missing == ["libxcb-icccm.so.4"]


def test_every_library_names_a_package_for_each_manager() -> None:
    commands = check.install_commands(check.XCB_LIBRARIES)
    assert [line.split()[0] for line in commands] == ["Debian/Ubuntu:", "Fedora:", "Arch:"]


def test_this_machine_has_the_libraries_the_test_suite_uses() -> None:
    # The real loader: a machine that runs the windowed tests under Xvfb has them all.
    assert check.missing_libraries(["libc.so.6"], []) == []
    assert check.missing_libraries(["libdoes-not-exist.so.9"], []) == ["libdoes-not-exist.so.9"]


def test_the_window_launch_exits_3_with_the_message(tmp_path: Path) -> None:
    """Run through the real entry point with one library made missing."""
    script = (
        "import sys\n"
        "from desktop_chat import qt_platform_check as c\n"
        "c.XCB_LIBRARIES = {'libxcb-nothere.so.7': ('libxcb-nothere7', 'xcb-nothere', 'nothere')}\n"
        "from desktop_chat.cli import main\n"
        "sys.exit(main([]))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": ":99", "DESKTOP_CHAT_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == check.EXIT_MISSING_LIBRARIES, result.stderr
    assert "sudo apt install libxcb-nothere7" in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
