"""Upgrade a stored settings document one schema version at a time, up to SCHEMA_VERSION."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

Document = dict[str, Any]

# Version 1 grouped settings by where the UI showed them ("model", "sampling", "chat", "ui")
# and kept the model path with the model settings. Version 2 groups them by what they affect.
_V1_KEYS: dict[tuple[str, str], str] = {
    ("model", "path"): "app.current_model",
    ("model", "context_size"): "inference.n_ctx",
    ("model", "gpu_layers"): "inference.n_gpu_layers",
    ("model", "threads"): "inference.n_threads",
    ("model", "batch_size"): "inference.n_batch",
    ("model", "flash_attention"): "inference.flash_attn",
    ("model", "mmap"): "inference.use_mmap",
    ("model", "mlock"): "inference.use_mlock",
    ("sampling", "temperature"): "generation.temperature",
    ("sampling", "top_p"): "generation.top_p",
    ("sampling", "top_k"): "generation.top_k",
    ("sampling", "min_p"): "generation.min_p",
    ("sampling", "repeat_penalty"): "generation.repeat_penalty",
    ("sampling", "max_tokens"): "generation.max_tokens",
    ("sampling", "seed"): "generation.seed",
    ("sampling", "stop"): "generation.stop",
    ("chat", "system_prompt"): "generation.system_prompt",
    ("chat", "template"): "generation.chat_format",
    ("chat", "custom_template"): "generation.custom_template",
    ("ui", "theme"): "appearance.theme",
    ("ui", "font_size"): "appearance.font_size",
    ("ui", "width"): "appearance.chat_width",
    ("ui", "language"): "app.language",
    ("ui", "on_context_full"): "app.context_policy",
}
# v1 per-model overrides used bare names ("context_size"), unique across v1 sections.
_V1_NAMES = {name: key for (_, name), key in _V1_KEYS.items()}


def _v1_value(key: str, value: Any) -> Any:
    """v1 spelled some values differently; anything else is left for validation to judge."""
    if key == "inference.n_ctx" and value is None:
        return 0
    if key == "inference.n_gpu_layers" and (value is None or value == "auto"):
        return -1
    if key == "generation.stop" and isinstance(value, str):
        return [part for part in value.split(",") if part]
    if key == "appearance.theme" and value == "auto":
        return "system"
    if key == "app.context_policy" and value == "truncate":
        return "drop_oldest"
    return value


def _migrate_1_to_2(doc: Document) -> Document:
    out: Document = {}
    consumed: set[str] = set()
    for (old_section, old_name), new_key in _V1_KEYS.items():
        section = doc.get(old_section)
        if isinstance(section, dict) and old_name in section:
            consumed.add(old_section)
            new_section, _, new_name = new_key.partition(".")
            out.setdefault(new_section, {})[new_name] = _v1_value(new_key, section[old_name])
    per_model: Document = {}
    overrides = doc.get("model_overrides")
    if isinstance(overrides, dict):
        for model, values in overrides.items():
            if not isinstance(values, dict):
                per_model[model] = values  # left for validation to report
                continue
            per_model[model] = {}
            for name, value in values.items():
                if name in _V1_NAMES:
                    per_model[model][_V1_NAMES[name]] = _v1_value(_V1_NAMES[name], value)
                else:
                    log.info("settings v1: dropped unknown override %r of %r", name, model)
    if per_model:
        out["per_model"] = per_model
    # Keys v1 did not know are carried over untouched, so a file someone wrote by hand in
    # the v2 layout without a schema_version survives the upgrade.
    for key, value in doc.items():
        if key in consumed or key in ("model_overrides", "schema_version"):
            continue
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = {**value, **out[key]}
        else:
            out.setdefault(key, value)
    out["schema_version"] = 2
    return out


# MIGRATIONS[n] turns a version-n document into a version n+1 document.
MIGRATIONS: dict[int, Callable[[Document], Document]] = {1: _migrate_1_to_2}


def migrate(doc: Document, version: int) -> Document:
    """Apply every step from ``version`` to SCHEMA_VERSION."""
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        log.info("settings migrated to schema version %d", version)
    return doc
