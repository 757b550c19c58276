"""The curated catalog of recommended models shipped in resources/catalog.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

KINDS = ("chat", "embedding")
_REPO_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class CatalogError(Exception):
    """The shipped catalog is malformed (a packaging bug, not a user error)."""


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo_id: str
    file: str  # the recommended file in the repo
    size_bytes: int  # approximate, for display before the file list is fetched
    parameters: str
    license: str
    context_length: int
    good_at_chinese: bool
    kind: str  # "chat" or "embedding"
    description: str


_TYPES: dict[str, type] = {
    "id": str,
    "name": str,
    "repo_id": str,
    "file": str,
    "size_bytes": int,
    "parameters": str,
    "license": str,
    "context_length": int,
    "good_at_chinese": bool,
    "kind": str,
    "description": str,
}


def parse_catalog(data: Any) -> list[CatalogEntry]:
    """Validate catalog JSON; CatalogError names the first bad entry and field."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("catalog: expected an object with a 'models' list")
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["models"]):
        where = f"catalog entry {index}"
        if not isinstance(raw, dict):
            raise CatalogError(f"{where}: not an object")
        for key, kind in _TYPES.items():
            value = raw.get(key)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise CatalogError(f"{where}: '{key}' must be {kind.__name__}")
        entry = CatalogEntry(**{k: raw[k] for k in _TYPES})
        if not _REPO_RE.match(entry.repo_id):
            raise CatalogError(f"{where}: bad repo id {entry.repo_id!r}")
        if not entry.file.lower().endswith(".gguf") or ".." in entry.file:
            raise CatalogError(f"{where}: bad file name {entry.file!r}")
        if entry.kind not in KINDS or entry.size_bytes <= 0 or entry.context_length <= 0:
            raise CatalogError(f"{where}: bad kind, size or context length")
        if entry.id in seen:
            raise CatalogError(f"{where}: duplicate id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def load_catalog() -> list[CatalogEntry]:
    """The packaged catalog, validated."""
    text = resources.files("desktop_chat.resources").joinpath("catalog.json").read_text("utf-8")
    return parse_catalog(json.loads(text))
