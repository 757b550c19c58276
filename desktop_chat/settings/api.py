"""Read and change settings values, layer overrides, and turn settings into engine parameters."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import psutil

from desktop_chat.engine.types import GenParams, LoadParams
from desktop_chat.settings.schema import FIELDS, OVERRIDABLE_KEYS, Settings
from desktop_chat.settings.values import SettingsError, coerce, field_for

log = logging.getLogger(__name__)


def get_value(settings: Settings, key: str) -> Any:
    field = field_for(key)
    return getattr(getattr(settings, field.section), field.name)


def with_value(settings: Settings, key: str, value: Any) -> Settings:
    """A copy of ``settings`` with ``key`` set; text is parsed per the field's type."""
    field = field_for(key)
    section = dataclasses.replace(
        getattr(settings, field.section), **{field.name: coerce(field, value)}
    )
    return dataclasses.replace(settings, **{field.section: section})


def model_key_for(path: str | os.PathLike[str]) -> str:
    """The key per-model overrides are stored under: the model's file name."""
    return Path(path).name


def model_overrides(settings: Settings, model_key: str) -> dict[str, Any]:
    return dict(settings.per_model.get(model_key, {}))


def with_model_override(settings: Settings, model_key: str, key: str, value: Any) -> Settings:
    field = field_for(key, OVERRIDABLE_KEYS)
    overrides = {**settings.per_model.get(model_key, {}), key: coerce(field, value)}
    return _with_overrides(settings, model_key, overrides)


def without_model_override(settings: Settings, model_key: str, key: str | None) -> Settings:
    """Drop one override of ``model_key`` (or all of them when ``key`` is None)."""
    if key is None:
        return _with_overrides(settings, model_key, {})
    field_for(key, OVERRIDABLE_KEYS)
    overrides = {k: v for k, v in settings.per_model.get(model_key, {}).items() if k != key}
    return _with_overrides(settings, model_key, overrides)


def _with_overrides(settings: Settings, model_key: str, overrides: dict[str, Any]) -> Settings:
    per_model = dict(settings.per_model)
    if overrides:
        per_model[model_key] = MappingProxyType(overrides)
    else:
        per_model.pop(model_key, None)
    return dataclasses.replace(settings, per_model=MappingProxyType(per_model))


def effective(
    settings: Settings,
    model_key: str | None = None,
    conversation: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings as they apply: defaults < global < per-model < per-conversation.

    A conversation override that is unknown or invalid (stored by an older version, say) is
    skipped and logged rather than breaking the chat it belongs to.
    """
    result = settings
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if model_key is not None:
        layers.append((f"model {model_key!r}", settings.per_model.get(model_key, {})))
    if conversation:
        layers.append(("conversation", conversation))
    for origin, overrides in layers:
        for key, value in overrides.items():
            try:
                field_for(key, OVERRIDABLE_KEYS)
                result = with_value(result, key, value)
            except SettingsError as exc:
                log.warning("ignoring %s override: %s", origin, exc)
    return result


def physical_cores() -> int:
    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


def to_load_params(settings: Settings, path: str | os.PathLike[str]) -> LoadParams:
    """LoadParams for ``path``; pass ``effective(settings, model_key_for(path))``.

    n_threads 0 becomes the physical core count here; n_ctx 0 and n_gpu_layers -1 stay as
    they are, because only the engine knows the model's trained context and the free VRAM.
    """
    inference, generation = settings.inference, settings.generation
    return LoadParams(
        path=Path(path),
        n_ctx=inference.n_ctx,
        n_threads=inference.n_threads or physical_cores(),
        n_gpu_layers=inference.n_gpu_layers,
        n_batch=inference.n_batch,
        flash_attn=inference.flash_attn,
        use_mmap=inference.use_mmap,
        use_mlock=inference.use_mlock,
        chat_format=generation.chat_format,
        custom_template=generation.custom_template,
        seed=generation.seed,
        kv_cache_type=inference.kv_cache_type,
        speculative=inference.speculative,
        draft_model=inference.draft_model,
        state_cache_mb=inference.state_cache_mb,
    )


def to_gen_params(settings: Settings) -> GenParams:
    generation = settings.generation
    return GenParams(
        max_tokens=generation.max_tokens,
        temperature=generation.temperature,
        top_p=generation.top_p,
        top_k=generation.top_k,
        min_p=generation.min_p,
        repeat_penalty=generation.repeat_penalty,
        seed=generation.seed,
        stop=tuple(generation.stop),
    )


def reload_needed(old: Settings, new: Settings) -> list[str]:
    """Keys whose change only takes effect after the model is loaded again."""
    return [
        key
        for key, field in FIELDS.items()
        if field.needs_reload and get_value(old, key) != get_value(new, key)
    ]
