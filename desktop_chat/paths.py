"""Every on-disk location the app uses; DESKTOP_CHAT_HOME puts them all under one folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "desktop-chat"
HOME_ENV = "DESKTOP_CHAT_HOME"


def home() -> Path | None:
    """The single folder that holds everything, when DESKTOP_CHAT_HOME is set."""
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    root = home()
    return _ensure(root / "config" if root else Path(platformdirs.user_config_dir(APP_NAME)))


def data_dir() -> Path:
    root = home()
    return _ensure(root / "data" if root else Path(platformdirs.user_data_dir(APP_NAME)))


def cache_dir() -> Path:
    root = home()
    return _ensure(root / "cache" if root else Path(platformdirs.user_cache_dir(APP_NAME)))


def logs_dir() -> Path:
    root = home()
    return _ensure(root / "logs" if root else Path(platformdirs.user_log_dir(APP_NAME)))


def models_dir() -> Path:
    return _ensure(data_dir() / "models")


def kb_dir() -> Path:
    return _ensure(data_dir() / "knowledge")


def settings_file() -> Path:
    return config_dir() / "settings.json"


def database_file() -> Path:
    return data_dir() / "conversations.sqlite3"


def log_file() -> Path:
    return logs_dir() / "desktop-chat.log"


def all_locations() -> dict[str, Path]:
    """What the app stores and where, for the Privacy page and `config path`."""
    return {
        "settings": settings_file(),
        "conversations": database_file(),
        "models": models_dir(),
        "knowledge": kb_dir(),
        "logs": logs_dir(),
        "cache": cache_dir(),
    }
