"""Typed application settings: declared fields, schema_version + migrations, atomic JSON file.

Use it as ``from desktop_chat import settings; result = settings.load()``.

Where things are declared
    Every setting is a field of a frozen section dataclass in ``sections/`` (``inference``,
    ``generation`` in model.py; ``appearance``, ``app`` in window.py; ``server``, ``remote`` in
    network.py), declared with ``declare.setting(default, label=..., min=..., max=...,
    choices=..., unit=..., needs_reload=...)``; ``schema.py`` assembles them into ``Settings``.
    ``FIELDS`` is built from those declarations, keyed "section.name", in declaration order.
    Nothing else lists settings.

Resolution order (later wins)
    defaults < global (settings.json) < per-model (``per_model[<model file name>]``)
    < per-conversation (a {"section.name": value} dict stored with the conversation).
    ``effective(settings, model_key, conversation)`` applies it. Only ``inference.*`` and
    ``generation.*`` keys can be overridden per model or per conversation.

The file (``paths.settings_file()``)
    JSON, ``{"schema_version": 2, "inference": {...}, ..., "per_model": {...}}``. Only values
    that differ from their defaults are written, so a default improved in a later release
    reaches everyone who never changed it. A file without ``schema_version`` is read as
    version 1; each version step has one function in ``migrations.MIGRATIONS``. Saving goes
    through ``fsutil.atomic_write_text``.

When the file is bad, ``load()`` never raises: its ``LoadResult.warnings`` holds sentences for
the user.
    - not readable, not JSON, nested deeper than MAX_DEPTH, or not a JSON object: moved aside to
      ``settings.json.corrupt-<time>``, defaults used, the warning names the kept file;
    - one bad value (wrong type, out of range, unknown choice, an empty stop sequence, more
      threads than this computer has logical cores): that key alone falls back to its
      default, the warning names the key;
    - unknown keys: ignored with a warning (with a did-you-mean hint), and dropped at the next
      save; unknown top-level entries are ignored silently;
    - written by a newer version: read as far as understood, a copy kept as
      ``settings.json.v<N>-backup``.
"""

from __future__ import annotations

from desktop_chat.settings.api import (
    effective,
    get_value,
    model_key_for,
    model_overrides,
    physical_cores,
    reload_needed,
    to_gen_params,
    to_load_params,
    with_model_override,
    with_value,
    without_model_override,
)
from desktop_chat.settings.migrations import SCHEMA_VERSION
from desktop_chat.settings.schema import (
    FIELDS,
    OVERRIDABLE_KEYS,
    SECTIONS,
    AppearanceSettings,
    AppSettings,
    Field,
    GenerationSettings,
    InferenceSettings,
    Settings,
)
from desktop_chat.settings.storage import LoadResult, load, save
from desktop_chat.settings.values import SettingsError, format_value, logical_cores, parse

__all__ = [
    "FIELDS",
    "OVERRIDABLE_KEYS",
    "SCHEMA_VERSION",
    "SECTIONS",
    "AppSettings",
    "AppearanceSettings",
    "Field",
    "GenerationSettings",
    "InferenceSettings",
    "LoadResult",
    "Settings",
    "SettingsError",
    "effective",
    "format_value",
    "get_value",
    "load",
    "logical_cores",
    "model_key_for",
    "model_overrides",
    "parse",
    "physical_cores",
    "reload_needed",
    "save",
    "to_gen_params",
    "to_load_params",
    "with_model_override",
    "with_value",
    "without_model_override",
]
