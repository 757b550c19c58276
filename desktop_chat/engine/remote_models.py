"""Each endpoint's model list, cached in memory and on disk; fetching it is a background job."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_chat import paths
from desktop_chat.fsutil import atomic_write_text, load_json_bounded

log = logging.getLogger(__name__)

CACHE_NAME = "remote_models.json"


@dataclass(frozen=True)
class RemoteModel:
    id: str
    context_size: int = 0  # what the server said (vLLM's max_model_len, …); 0 unknown


_cache: dict[str, list[RemoteModel]] = {}
_loaded_from: Path | None = None
_lock = threading.Lock()


def _cache_file() -> Path:
    return paths.cache_dir() / CACHE_NAME


def _ensure_loaded() -> None:
    """Read the disk cache once per home folder (tests switch homes)."""
    global _loaded_from
    path = _cache_file()
    if _loaded_from == path:
        return
    _cache.clear()
    _loaded_from = path
    if not path.exists():
        return
    try:
        data = load_json_bounded(path.read_text(encoding="utf-8"), max_depth=8)
        for name, items in data.items():  # type: ignore[attr-defined]
            _cache[str(name)] = [
                RemoteModel(str(i["id"]), int(i.get("context_size", 0))) for i in items
            ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("ignored an unreadable model cache %s (%s)", path, exc)
        _cache.clear()


def cached(endpoint: str) -> list[RemoteModel]:
    """The models last fetched from ``endpoint`` (empty until a fetch succeeded)."""
    with _lock:
        _ensure_loaded()
        return list(_cache.get(endpoint.strip().lower(), []))


def remember(endpoint: str, models: list[RemoteModel]) -> None:
    with _lock:
        _ensure_loaded()
        _cache[endpoint.strip().lower()] = list(models)
        data = {name: [asdict(m) for m in items] for name, items in _cache.items()}
    try:
        atomic_write_text(_cache_file(), json.dumps(data, indent=1) + "\n")
    except OSError as exc:  # a cache: the list still works for this session
        log.warning("could not write the model cache: %s", exc)


def forget(endpoint: str) -> None:
    with _lock:
        _ensure_loaded()
        _cache.pop(endpoint.strip().lower(), None)
