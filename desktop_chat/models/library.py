"""The local model library: the models folder, files registered in place, and the starter model."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from desktop_chat import paths
from desktop_chat.fsutil import atomic_write_text, load_json_bounded, move_aside
from desktop_chat.models import starter
from desktop_chat.models.gguf_info import (
    SPLIT_RE,
    GGUFInfo,
    InvalidModelFile,
    clear_cache,
    read_gguf_info,
    split_parts,
)

log = logging.getLogger(__name__)

REGISTRY_NAME = "registered_models.json"


class Source(StrEnum):
    FOLDER = "folder"
    REGISTERED = "registered"
    STARTER = "starter"


class LibraryError(Exception):
    """An import or delete the library refused; str() is a sentence for the user."""


@dataclass(frozen=True)
class ModelEntry:
    """One model in the library; invalid files are listed too (``error`` set) so they can go."""

    path: Path  # the first shard for a split model
    display_name: str
    source: Source
    info: GGUFInfo | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.info is not None

    @property
    def size(self) -> int:
        if self.info is not None:
            return self.info.file_size
        return sum(p.stat().st_size for p in split_parts(self.path) if p.is_file())


def registry_file() -> Path:
    return paths.data_dir() / REGISTRY_NAME


def registered_paths() -> list[Path]:
    path = registry_file()
    if not path.exists():
        return []
    try:
        data = load_json_bounded(path.read_text(encoding="utf-8"), max_depth=8)
        return [Path(p) for p in data["paths"] if isinstance(p, str)]  # type: ignore[index]
    except (OSError, ValueError, KeyError, TypeError) as exc:  # JsonTooComplex is a ValueError
        log.warning("unreadable model registry %s (%s); moved aside", path, exc)
        try:
            move_aside(path)
        except OSError as error:  # a read-only data folder: read around it, every time
            log.warning("could not move %s aside: %s", path, error)
        return []


def _save_registry(items: list[Path]) -> None:
    unique = list(dict.fromkeys(str(p) for p in items))
    atomic_write_text(registry_file(), json.dumps({"version": 1, "paths": unique}, indent=1))


def entry_for(path: Path, source: Source) -> ModelEntry:
    """Read one model's metadata (cached); a bad file becomes an entry with an error."""
    try:
        info = read_gguf_info(path)
    except InvalidModelFile as exc:
        return ModelEntry(path, _display_name(path), source, None, str(exc))
    return ModelEntry(path, info.name or _display_name(path), source, info, None)


def _display_name(path: Path) -> str:
    match = SPLIT_RE.match(path.name)
    return match["stem"] if match else path.stem


def _folder_models(folder: Path) -> list[Path]:
    found: dict[Path, None] = {}
    for path in sorted(folder.rglob("*.gguf")):
        if not path.is_file() or path.name.startswith("."):
            continue
        found[split_parts(path)[0]] = None  # shards 2..n collapse onto the first
    return list(found)


def scan(include_starter: bool = True) -> list[ModelEntry]:
    """Every model the app knows, folder first, then registered, then the starter model.

    Reads headers (about 60 ms for a large vocabulary, a stat once cached): call it off the
    GUI thread the first time.
    """
    entries = [entry_for(p, Source.FOLDER) for p in _folder_models(paths.models_dir())]
    seen = {e.path.resolve() for e in entries}
    for path in registered_paths():
        if path.resolve() not in seen:
            seen.add(path.resolve())
            entries.append(entry_for(path, Source.REGISTERED))
    smol = starter.smollm2_path() if include_starter else None
    if smol is not None and smol.resolve() not in seen:
        entries.append(entry_for(smol, Source.STARTER))
    return entries


def find(name_or_path: str) -> ModelEntry | None:
    """The entry whose path, file name or display name matches (case-insensitive)."""
    wanted = name_or_path.strip()
    entries = scan()
    for entry in entries:
        if str(entry.path) == wanted or entry.path.name == wanted:
            return entry
    lowered = wanted.lower()
    matches = [e for e in entries if e.display_name.lower() == lowered]
    return matches[0] if len(matches) == 1 else None


def import_model(path: Path, *, link: bool = False) -> ModelEntry:
    """Add a GGUF file: copied into the models folder, or (``link``) registered where it is.

    The file is validated first: InvalidModelFile is raised and nothing changes for a bad
    file. LibraryError for a name clash. Copying gigabytes is slow: not on the GUI thread.
    """
    source = path.expanduser().resolve()
    info = read_gguf_info(source)
    models = paths.models_dir().resolve()
    if source.parent == models or models in source.parents:
        return entry_for(source, Source.FOLDER)
    if link:
        _save_registry([*registered_paths(), source])
        return ModelEntry(source, info.name, Source.REGISTERED, info, None)
    targets = [models / p.name for p in split_parts(source)]
    clash = next((t for t in targets if t.exists()), None)
    if clash is not None:
        raise LibraryError(
            f"A model named {clash.name} is already in the models folder. "
            "Delete it first or rename the file."
        )
    for src, dest in zip(split_parts(source), targets, strict=True):
        partial = dest.with_name(dest.name + ".importing")
        try:
            shutil.copyfile(src, partial)
            partial.replace(dest)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise LibraryError(f"The model could not be copied: {exc.strerror or exc}.") from exc
    return entry_for(targets[0], Source.FOLDER)


def delete_model(path: Path) -> Source:
    """Delete a model in the models folder (all shards), or unregister one kept elsewhere.

    Never deletes a file outside the models folder; LibraryError for the starter model or a
    path the library does not know.
    """
    target = path.expanduser().resolve()
    models = paths.models_dir().resolve()
    registered = registered_paths()
    if any(p.resolve() == target for p in registered):
        _save_registry([p for p in registered if p.resolve() != target])
        return Source.REGISTERED
    if models in target.parents:
        for part in split_parts(target):
            part.unlink(missing_ok=True)
        clear_cache()
        return Source.FOLDER
    smol = starter.smollm2_path()
    if smol is not None and smol.resolve() == target:
        raise LibraryError("The starter model ships with the app and cannot be deleted.")
    raise LibraryError(f"{path.name} is not in the model library, so nothing was deleted.")
