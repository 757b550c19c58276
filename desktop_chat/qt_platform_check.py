"""Before Qt starts on X11: the libraries its xcb plugin needs, and the command that installs them."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

EXIT_MISSING_LIBRARIES = 3

# What Qt 6's xcb platform plugin links against that minimal systems lack, with the package
# that holds it on Debian/Ubuntu (apt), Fedora (dnf) and Arch (pacman).
XCB_LIBRARIES: Mapping[str, tuple[str, str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
    ),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
}


def platform_would_be_xcb(environ: Mapping[str, str] | None = None) -> bool:
    """Whether Qt is about to pick its xcb plugin (Linux, X11 display, no Wayland, no override)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip().split(";")[0].split(":")[0]
    if chosen:
        return chosen == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def bundle_lib_dirs() -> list[Path]:
    """Where a frozen (PyInstaller) bundle keeps the libraries it ships."""
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return []
    root = Path(base)
    return [root, root / "PySide6" / "Qt" / "lib", root / "lib"]


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_libraries(
    names: Iterable[str] | None = None,
    search_dirs: Iterable[Path] | None = None,
    loadable: Callable[[str], bool] = _loadable,
) -> list[str]:
    """The libraries that neither ``search_dirs`` (the bundle's) nor the system loader has."""
    dirs = bundle_lib_dirs() if search_dirs is None else list(search_dirs)
    names = XCB_LIBRARIES if names is None else names
    return [
        name
        for name in names
        if not any((folder / name).exists() for folder in dirs) and not loadable(name)
    ]


def install_commands(missing: Iterable[str]) -> list[str]:
    """One command per package manager that installs the packages holding ``missing``."""
    wanted = [XCB_LIBRARIES[name] for name in missing if name in XCB_LIBRARIES]
    commands = []
    for index, (tool, prefix) in enumerate(
        (
            ("Debian/Ubuntu", "sudo apt install"),
            ("Fedora", "sudo dnf install"),
            ("Arch", "sudo pacman -S --needed"),
        )
    ):
        packages = sorted({packages[index] for packages in wanted})
        if packages:
            commands.append(f"  {tool + ':':15} {prefix} {' '.join(packages)}")
    return commands


def message(missing: list[str]) -> str:
    lines = [
        "Desktop Chat cannot open its window: the X11 (xcb) display support needs these "
        "libraries, which this system lacks:",
        "  " + ", ".join(missing),
        "Install them with your package manager, then start the app again:",
        *install_commands(missing),
        "(Or run it on Wayland, or headless with QT_QPA_PLATFORM=offscreen.)",
    ]
    return "\n".join(lines)


def check(environ: Mapping[str, str] | None = None, **kwargs: object) -> str | None:
    """The message to print and exit with, or None when Qt can start (or is not on xcb)."""
    if not platform_would_be_xcb(environ):
        return None
    missing = missing_libraries(**kwargs)  # type: ignore[arg-type]
    return message(missing) if missing else None
