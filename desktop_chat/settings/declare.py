"""How a setting is declared: ``setting(default, label=..., ...)`` on a frozen section
dataclass, read back as a ``Field`` (key, type, default, limits, what the UI shows)."""

from __future__ import annotations

import builtins
import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")

# Only these sections may be overridden per model or per conversation: appearance and app
# settings describe the window, not a model, so overriding them per model would make no sense.
OVERRIDABLE_SECTIONS = ("inference", "generation")


@dataclass(frozen=True)
class Field:
    """One setting: its key ("section.name"), type, default and the limits the UI shows."""

    key: str
    type: builtins.type[Any]  # int, float, bool, str, or tuple (a list of strings)
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""
    label: str = ""
    help: str = ""
    needs_reload: bool = False
    # Values with a meaning of their own, e.g. ((-1, "Auto"),); they lie inside min..max.
    special: tuple[tuple[Any, str], ...] = ()

    @property
    def section(self) -> str:
        return self.key.partition(".")[0]

    @property
    def name(self) -> str:
        return self.key.partition(".")[2]

    @property
    def overridable(self) -> bool:
        return self.section in OVERRIDABLE_SECTIONS


def setting(
    default: _T,
    *,
    label: str,
    help: str = "",
    min: float | None = None,
    max: float | None = None,
    choices: tuple[str, ...] = (),
    unit: str = "",
    needs_reload: bool = False,
    special: Mapping[Any, str] | None = None,
) -> _T:
    """Declare a dataclass field together with the metadata that FIELDS is built from."""
    meta = {
        "label": label,
        "help": help,
        "min": min,
        "max": max,
        "choices": choices,
        "unit": unit,
        "needs_reload": needs_reload,
        "special": tuple((special or {}).items()),
    }
    return typing.cast(_T, dataclasses.field(default=default, metadata=meta))
