"""Check, parse and format setting values against their Field: types, ranges and choices."""

from __future__ import annotations

import difflib
import json
import math
import os
from collections.abc import Iterable
from typing import Any

from desktop_chat.fsutil import JsonTooComplex, load_json_bounded
from desktop_chat.settings.schema import FIELDS, Field

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class SettingsError(ValueError):
    """A key or value a user gave is unusable; ``str(error)`` is a sentence to show them."""


def field_for(key: str, allowed: Iterable[str] | None = None) -> Field:
    """The Field for ``key``, or a SettingsError that suggests the closest known keys."""
    candidates = list(FIELDS if allowed is None else allowed)
    if key in candidates:
        return FIELDS[key]
    if key in FIELDS:
        raise SettingsError(f"{key} cannot be set per model or per conversation.")
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    if not close:
        # Users often type just the name ("temperature"); match that against the names too.
        name = key.rpartition(".")[2]
        close = [k for k in candidates if k.partition(".")[2] == name]
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise SettingsError(f"There is no setting called {key!r}.{hint}")


def describe_range(field: Field) -> str:
    text = f"between {_number(field.min)} and {_number(field.max)}"
    if field.unit:
        text += f" {field.unit}"
    if field.special:
        text += " (" + "; ".join(f"{v} = {label}" for v, label in field.special) + ")"
    return text


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def check(field: Field, value: Any) -> Any:
    """Return ``value`` in the field's canonical Python form, or raise SettingsError."""
    kind = field.type
    if kind is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{field.key} must be true or false (got {_show(value)}).")
        return value
    if kind is int:
        # JSON writers may produce 2048.0; a whole float is still the intended integer.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{field.key} must be a whole number (got {_show(value)}).")
        return _machine_rules(field, _in_range(field, value))
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{field.key} must be a number (got {_show(value)}).")
        if not math.isfinite(value):
            raise SettingsError(f"{field.key} must be a finite number (got {_show(value)}).")
        return _in_range(field, float(value))
    if kind is tuple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{field.key} must be a list of strings (got {_show(value)}).")
        if field.key == "generation.stop" and "" in value:
            # Every text starts with the empty string: each answer would end before its
            # first word.
            raise SettingsError(
                "generation.stop cannot hold an empty stop sequence: every answer would "
                "come out empty. Remove the empty entry."
            )
        return tuple(value)
    if not isinstance(value, str):
        raise SettingsError(f"{field.key} must be text (got {_show(value)}).")
    if field.choices:
        for choice in field.choices:
            if value.casefold() == choice.casefold():
                return choice
        raise SettingsError(
            f"{field.key} must be one of {', '.join(field.choices)} (got {_show(value)})."
        )
    return value


def logical_cores() -> int:
    """CPU threads this machine runs at once (hyper-threads included)."""
    return max(1, os.cpu_count() or 1)


def _machine_rules(field: Field, value: Any) -> Any:
    """Limits that depend on this computer rather than on the schema."""
    if field.key == "inference.n_threads" and value > logical_cores():
        # More threads than cores only makes them wait on each other (0.7 tok/s at 256).
        raise SettingsError(
            f"{field.key} must be at most {logical_cores()}, the number of logical cores on "
            f"this computer (0 = one per physical core); got {value}."
        )
    return value


def _in_range(field: Field, value: int | float) -> int | float:
    if (field.min is not None and value < field.min) or (
        field.max is not None and value > field.max
    ):
        raise SettingsError(f"{field.key} must be {describe_range(field)} (got {_show(value)}).")
    return value


def parse(field: Field, text: str) -> Any:
    """Turn text typed by a user (CLI, a form) into a checked value for ``field``."""
    raw = text.strip()
    kind = field.type
    if kind is bool:
        word = raw.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise SettingsError(
            f"{field.key} must be true or false (or yes/no, on/off, 1/0); got {text!r}."
        )
    if kind is int:
        try:
            return check(field, int(raw))
        except ValueError as exc:
            if isinstance(exc, SettingsError):
                raise
            raise SettingsError(f"{field.key} must be a whole number (got {text!r}).") from None
    if kind is float:
        try:
            number = float(raw)
        except ValueError:
            raise SettingsError(f"{field.key} must be a number (got {text!r}).") from None
        return check(field, number)
    if kind is tuple:
        if raw.startswith("["):
            try:
                return check(field, load_json_bounded(raw, max_depth=8))
            except JsonTooComplex as exc:
                raise SettingsError(f"{field.key} must be a list of strings ({exc}).") from None
            except json.JSONDecodeError as exc:
                raise SettingsError(
                    f"{field.key}: {_show(text)} is not a valid JSON list ({exc.msg})."
                ) from None
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    # Text is kept as typed: leading spaces may matter in a prompt or a template.
    return check(field, text)


def coerce(field: Field, value: Any) -> Any:
    """Check ``value``, parsing it first when it is text for a field that is not text."""
    if isinstance(value, str) and field.type is not str:
        return parse(field, value)
    return check(field, value)


def to_json(field: Field, value: Any) -> Any:
    return list(value) if field.type is tuple else value


def format_value(field: Field, value: Any) -> str:
    """How `config get` prints a value: parseable back by ``parse``."""
    if field.type is bool:
        return "true" if value else "false"
    if field.type is tuple:
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
