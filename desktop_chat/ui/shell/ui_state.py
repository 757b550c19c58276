"""What the window remembers between runs (ui_state.json): geometry, splitters, pane, welcome."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktop_chat import fsutil, paths

log = logging.getLogger(__name__)

STATE_FILE = "ui_state.json"
MAX_BYTES = 256 * 1024


def state_file() -> Path:
    return paths.config_dir() / STATE_FILE


def load() -> dict[str, Any]:
    """The remembered state; {} for a missing, unreadable or corrupt file (it is not needed)."""
    path = state_file()
    try:
        data = fsutil.load_json_bounded(path.read_bytes(), max_depth=8, max_bytes=MAX_BYTES)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError) as error:
        log.warning("ignoring the window state in %s: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def update(**values: Any) -> None:
    """Merge ``values`` into the file, written atomically; a failed write is only logged."""
    state = load()
    state.update(values)
    try:
        fsutil.atomic_write_text(state_file(), json.dumps(state, indent=1, sort_keys=True))
    except OSError as error:
        log.warning("could not save the window state: %s", error)


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: object) -> QByteArray | None:
    if not isinstance(text, str):
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None


def _splitters(window: QMainWindow) -> dict[str, QSplitter]:
    """Each splitter by its place (the classes of its ancestors), stable across runs."""
    found: dict[str, QSplitter] = {}
    for splitter in window.findChildren(QSplitter):
        names = []
        widget: QObject | None = splitter
        while widget is not None and widget is not window:
            names.append(widget.objectName() or type(widget).__name__)
            widget = widget.parent()
        key = "/".join(reversed(names))
        index = 1
        while f"{key}#{index}" in found:
            index += 1
        found[f"{key}#{index}"] = splitter
    return found


def save_window(window: QMainWindow, pane: int) -> None:
    update(
        geometry=_encode(window.saveGeometry()),
        window_state=_encode(window.saveState()),
        splitters={key: _encode(s.saveState()) for key, s in _splitters(window).items()},
        pane=pane,
    )


def restore_window(window: QMainWindow, state: dict[str, Any] | None = None) -> int | None:
    """Geometry and splitters put back; returns the pane shown last (None if not known)."""
    state = load() if state is None else state
    geometry = _decode(state.get("geometry"))
    if geometry is not None and not window.restoreGeometry(geometry):
        log.info("the saved window geometry does not fit this screen")
    window_state = _decode(state.get("window_state"))
    if window_state is not None:
        window.restoreState(window_state)
    saved = state.get("splitters")
    if isinstance(saved, dict):
        for key, splitter in _splitters(window).items():
            data = _decode(saved.get(key))
            if data is not None:
                splitter.restoreState(data)
    pane = state.get("pane")
    return pane if isinstance(pane, int) and not isinstance(pane, bool) else None


def welcome_shown() -> bool:
    return load().get("welcome_shown") is True


def set_welcome_shown(shown: bool) -> None:
    update(welcome_shown=shown)
