"""Read and write settings.json: versioned, migrated, validated value by value, saved atomically."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from desktop_chat import fsutil, paths
from desktop_chat.settings.migrations import SCHEMA_VERSION, migrate
from desktop_chat.settings.schema import FIELDS, OVERRIDABLE_KEYS, SECTIONS, Settings
from desktop_chat.settings.values import SettingsError, check, field_for, format_value, to_json

log = logging.getLogger(__name__)

# A real settings file is three levels deep and a few KB; these only stop a hostile one.
MAX_DEPTH = 32
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class LoadResult:
    settings: Settings
    # Sentences for the user (a bad value reset, a file moved aside); empty when all was well.
    warnings: list[str] = dataclasses.field(default_factory=list)


def load(path: Path | None = None) -> LoadResult:
    """Read settings; never raises for a bad file: defaults stand in and warnings say why."""
    path = path or paths.settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadResult(Settings())
    except (OSError, UnicodeDecodeError) as exc:
        return _start_over(path, f"could not be read ({exc})")
    try:
        doc = fsutil.load_json_bounded(text, max_depth=MAX_DEPTH, max_bytes=MAX_BYTES)
    except fsutil.JsonTooComplex as exc:
        return _start_over(path, f"cannot be a settings file ({exc})")
    except json.JSONDecodeError as exc:
        return _start_over(path, f"is not valid JSON (line {exc.lineno}: {exc.msg})")
    if not isinstance(doc, dict):
        return _start_over(path, f"does not hold a JSON object (found a {_json_kind(doc)})")

    warnings: list[str] = []
    version = doc.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        warnings.append(
            f"The settings file {path} has an invalid schema_version ({version!r}); "
            f"it was read as version {SCHEMA_VERSION}."
        )
        version = SCHEMA_VERSION
    elif version > SCHEMA_VERSION:
        # Saving will rewrite the file in this version's format; the copy lets a user who
        # goes back to the newer version recover what this one does not understand.
        backup = path.with_name(f"{path.name}.v{version}-backup")
        try:
            if not backup.exists():
                shutil.copy2(path, backup)
            kept = f" A copy of the file was kept at {backup}."
        except OSError as exc:
            log.warning("could not copy %s to %s: %s", path, backup, exc)
            kept = ""
        warnings.append(
            f"The settings file was written by a newer version of desktop-chat (schema "
            f"{version}); settings this version does not know are ignored.{kept}"
        )
        version = SCHEMA_VERSION
    try:
        doc = migrate(doc, version)
    except Exception:  # a migration meeting a shape it never expected must not stop the app
        log.exception("settings migration from version %s failed", version)
        return _start_over(path, f"could not be upgraded from schema version {version}")
    return LoadResult(from_document(doc, warnings), warnings)


def _start_over(path: Path, reason: str) -> LoadResult:
    log.warning("settings file %s %s", path, reason)
    try:
        aside = fsutil.move_aside(path)
    except OSError as exc:
        log.warning("could not move %s aside: %s", path, exc)
        return LoadResult(
            Settings(),
            [
                f"The settings file {path} {reason}, and could not be moved aside ({exc}). "
                "Default settings are used; saving will replace that file."
            ],
        )
    return LoadResult(
        Settings(),
        [
            f"The settings file {path} {reason}, so default settings are used. "
            f"The old file was kept as {aside}."
        ],
    )


def _json_kind(value: Any) -> str:
    names = {list: "list", str: "string", bool: "true/false value", type(None): "null"}
    return names.get(type(value), "number")


def from_document(doc: dict[str, Any], warnings: list[str]) -> Settings:
    """Build Settings from a current-version document, defaulting each bad value on its own."""
    sections: dict[str, Any] = {}
    for section, cls in SECTIONS.items():
        raw = doc.get(section, {})
        if not isinstance(raw, dict):
            warnings.append(f"The {section!r} settings are not a JSON object; defaults are used.")
            raw = {}
        values: dict[str, Any] = {}
        for name, value in raw.items():
            field = FIELDS.get(f"{section}.{name}")
            if field is None:
                warnings.append(_unknown(f"{section}.{name}", "settings file"))
                continue
            try:
                values[name] = check(field, value)
            except SettingsError as exc:
                default = format_value(field, field.default)
                warnings.append(f"{exc} The default ({default}) is used instead.")
        sections[section] = cls(**values)
    per_model = _per_model_from(doc.get("per_model", {}), warnings)
    return Settings(**sections, per_model=per_model)


def _per_model_from(raw: Any, warnings: list[str]) -> MappingProxyType[str, Any]:
    if not isinstance(raw, dict):
        warnings.append("The per-model settings are not a JSON object; they were ignored.")
        return MappingProxyType({})
    result: dict[str, Any] = {}
    for model, overrides in raw.items():
        if not isinstance(overrides, dict):
            warnings.append(f"The settings for model {model!r} are not a JSON object; ignored.")
            continue
        clean: dict[str, Any] = {}
        for key, value in overrides.items():
            field = FIELDS.get(key)
            if field is None or not field.overridable:
                warnings.append(_unknown(key, f"settings for model {model!r}", OVERRIDABLE_KEYS))
                continue
            try:
                clean[key] = check(field, value)
            except SettingsError as exc:
                warnings.append(f"{exc} (override for model {model!r}; ignored).")
        if clean:
            result[model] = MappingProxyType(clean)
    return MappingProxyType(result)


def _unknown(key: str, where: str, allowed: tuple[str, ...] | None = None) -> str:
    try:
        field_for(key, allowed)
    except SettingsError as exc:
        return f"In the {where}: {exc} It was ignored."
    return f"In the {where}: {key!r} was ignored."


def to_document(settings: Settings) -> dict[str, Any]:
    """The JSON document for ``settings``; only values that differ from their defaults."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for section in SECTIONS:
        values = getattr(settings, section)
        doc[section] = {
            field.name: to_json(field, getattr(values, field.name))
            for field in FIELDS.values()
            if field.section == section and getattr(values, field.name) != field.default
        }
    doc["per_model"] = {
        model: {key: to_json(FIELDS[key], value) for key, value in overrides.items()}
        for model, overrides in sorted(settings.per_model.items())
        if overrides
    }
    return doc


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    path = path or paths.settings_file()
    text = json.dumps(to_document(settings), indent=2, ensure_ascii=False) + "\n"
    fsutil.atomic_write_text(path, text)
