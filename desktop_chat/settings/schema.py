"""Every setting declared once: typed frozen sections whose field metadata is the FIELDS table.

The sections are declared by area in ``sections/`` (model, window, network) with
``declare.setting``; this module assembles them into ``Settings`` and the ``FIELDS`` table."""

from __future__ import annotations

import builtins
import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from desktop_chat.settings.declare import OVERRIDABLE_SECTIONS, Field, setting
from desktop_chat.settings.sections.model import (
    CHAT_FORMATS,
    DEFAULT_SYSTEM_PROMPT,
    KV_CACHE_TYPES,
    SPECULATIVE_MODES,
    GenerationSettings,
    InferenceSettings,
)
from desktop_chat.settings.sections.network import (
    SERVER_HOST_DEFAULT,
    RemoteSettings,
    ServerSettings,
)
from desktop_chat.settings.sections.window import (
    CONTEXT_POLICIES,
    LANGUAGES,
    THEMES,
    AppearanceSettings,
    AppSettings,
)

# Importable from here, where callers have always found them.
__all__ = [
    "CHAT_FORMATS",
    "CONTEXT_POLICIES",
    "DEFAULT_SYSTEM_PROMPT",
    "FIELDS",
    "KV_CACHE_TYPES",
    "LANGUAGES",
    "OVERRIDABLE_KEYS",
    "OVERRIDABLE_SECTIONS",
    "SECTIONS",
    "SERVER_HOST_DEFAULT",
    "SPECULATIVE_MODES",
    "THEMES",
    "AppSettings",
    "AppearanceSettings",
    "Field",
    "GenerationSettings",
    "InferenceSettings",
    "RemoteSettings",
    "ServerSettings",
    "Settings",
    "setting",
]

SECTIONS: Mapping[str, builtins.type[Any]] = MappingProxyType(
    {
        "inference": InferenceSettings,
        "generation": GenerationSettings,
        "appearance": AppearanceSettings,
        "app": AppSettings,
        "server": ServerSettings,
        "remote": RemoteSettings,
    }
)


@dataclass(frozen=True)
class Settings:
    """All settings. ``per_model`` maps a model file name to {"section.name": value} overrides."""

    inference: InferenceSettings = dataclasses.field(default_factory=InferenceSettings)
    generation: GenerationSettings = dataclasses.field(default_factory=GenerationSettings)
    appearance: AppearanceSettings = dataclasses.field(default_factory=AppearanceSettings)
    app: AppSettings = dataclasses.field(default_factory=AppSettings)
    server: ServerSettings = dataclasses.field(default_factory=ServerSettings)
    remote: RemoteSettings = dataclasses.field(default_factory=RemoteSettings)
    # Read-only mappings; hash=False keeps Settings hashable by its sections.
    per_model: Mapping[str, Mapping[str, Any]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


_PLAIN_TYPES: dict[Any, builtins.type[Any]] = {
    int: int,
    float: float,
    bool: bool,
    str: str,
    tuple[str, ...]: tuple,
}


def _build_fields() -> dict[str, Field]:
    table: dict[str, Field] = {}
    for section, cls in SECTIONS.items():
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            meta = item.metadata
            table[f"{section}.{item.name}"] = Field(
                key=f"{section}.{item.name}",
                type=_PLAIN_TYPES[hints[item.name]],
                default=item.default,
                min=meta["min"],
                max=meta["max"],
                choices=meta["choices"],
                unit=meta["unit"],
                label=meta["label"],
                help=meta["help"],
                needs_reload=meta["needs_reload"],
                special=meta["special"],
            )
    return table


# In declaration order: the Settings pane and `config list` show them in this order.
FIELDS: dict[str, Field] = _build_fields()
OVERRIDABLE_KEYS: tuple[str, ...] = tuple(key for key, f in FIELDS.items() if f.overridable)
