"""Size checks for the template operations whose result can dwarf their inputs.

``'%0999999999d' % 1``, ``'x'|center(10**9)``, ``s.replace('', s)`` and friends are measured
before they run, so a template cannot allocate its way past the budget's size cap.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sized
from typing import Any

from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter

from desktop_chat.engine.template_budget import (
    FIX,
    MAX_JSON_INDENT,
    Budget,
    TemplateLimitError,
    check_ints,
    current,
    deep_size,
    is_int,
)

# -- % formatting and str.format --------------------------------------------------------------
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_DIGITS = re.compile(r"\d+")


def _width(digits: str, budget: Budget) -> int:
    return int(digits) if len(digits) <= 9 else budget.max_chars + 1


def check_printf(fmt: str, args: Any, budget: Budget) -> None:
    """``fmt % args`` must not ask for a width or precision that builds too much text."""
    widths = 0
    for match in _PRINTF_SPEC.finditer(fmt):
        width, precision = match.group(1), match.group(2)
        if width == "*" or precision == "*":
            raise TemplateLimitError(
                f"The chat template was stopped: it uses a '*' width in a % format. {FIX}"
            )
        widths += max(_width(width or "0", budget), _width(precision or "0", budget))
    budget.check_chars(len(fmt) + widths + deep_size(args, budget.max_chars))


class _BoundedFormatting:
    """Checks each ``{:>{width}}`` field of ``str.format`` before it is formatted."""

    _total = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._total = len(format_string)
        return super().vformat(format_string, args, kwargs)  # type: ignore[misc]

    def format_field(self, value: Any, format_spec: str) -> Any:
        budget = current()
        budget.step()
        widest = max((_width(d, budget) for d in _DIGITS.findall(format_spec)), default=0)
        self._total += widest + deep_size(value, budget.max_chars)
        budget.check_chars(self._total)
        return super().format_field(value, format_spec)  # type: ignore[misc]


class Formatter(_BoundedFormatting, SandboxedFormatter):
    pass


class EscapeFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


# -- calls of str methods ---------------------------------------------------------------------
def check_str_method(owner: str | bytes, name: str, args: tuple[Any, ...], budget: Budget) -> Any:
    """Sizes for the str methods whose result can be much longer than their inputs; returns the
    arguments to call with (an iterable to join is read into a list once, to be measured)."""
    if name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        hits = len(owner) + 1 if not old else owner.count(old)
        budget.check_chars(len(owner) + hits * deep_size(new, budget.max_chars))
    elif name == "join" and args:
        items = list(args[0])
        budget.check_chars(
            sum(deep_size(item, budget.max_chars) for item in items) + len(owner) * len(items)
        )
        return (items, *args[1:])
    elif name == "expandtabs":
        size = args[0] if args and is_int(args[0]) else 8
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        budget.check_chars(len(owner) + max(0, size) * tabs)
    elif name == "translate" and args and isinstance(args[0], dict):
        widest = max((deep_size(v, budget.max_chars) for v in args[0].values()), default=0)
        budget.check_chars(len(owner) * max(1, widest))
    return args


# -- filters -----------------------------------------------------------------------------------
# Filters that turn their value into text: it is measured first.
_TEXT_FILTERS = frozenset(
    {
        "capitalize", "center", "e", "escape", "forceescape", "format", "lower", "pprint",
        "safe", "string", "striptags", "title", "trim", "truncate", "upper", "urlencode",
        "urlize", "wordcount", "wordwrap", "xmlattr",
    }
)  # fmt: skip


def _filter_checks(name: str, args: list[Any], kwargs: dict[str, Any], budget: Budget) -> None:
    """Sizes for the filters whose result can be much longer than their inputs; may replace an
    iterable argument by a list (read once, to be measured)."""
    value = args[0] if args else None
    rest = args[1:]
    if name in _TEXT_FILTERS:
        budget.check_deep(value)
    if name == "replace" and len(rest) >= 2:
        text = str(value)
        old, new = str(rest[0]), str(rest[1])
        hits = len(text) + 1 if not old else text.count(old)
        budget.check_chars(len(text) + hits * len(new))
    elif name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        each = len(width) if isinstance(width, str) else int(width)
        text = str(value)
        budget.check_chars(len(text) + max(0, each) * (text.count("\n") + 1))
    elif name == "join" and args:
        items = list(value) if value is not None else []
        args[0] = items
        separator = rest[0] if rest else kwargs.get("d", "")
        budget.check_chars(
            sum(deep_size(item, budget.max_chars) for item in items)
            + deep_size(separator, budget.max_chars) * len(items)
        )
    elif name == "format" and isinstance(value, str):
        check_printf(value, (rest, kwargs), budget)
    elif name == "wordwrap":
        text = str(value)
        width = rest[0] if rest else kwargs.get("width", 79)
        wrap = rest[2] if len(rest) > 2 else kwargs.get("wrapstring") or "\n"
        lines = text.count(" ") + len(text) // max(1, int(width)) + 1
        budget.check_chars(len(text) + lines * deep_size(wrap, budget.max_chars))
    elif name == "sum" and args:
        start = rest[1] if len(rest) > 1 else kwargs.get("start", 0)
        if isinstance(start, list | tuple):
            items = list(value or ())
            args[0] = items
            budget.check_chars(
                len(start) + sum(len(i) for i in items if isinstance(i, list | tuple))
            )


# Filters that walk their whole value: each item is a step.
_WALKING_FILTERS = frozenset(
    {
        "batch", "dictsort", "groupby", "join", "list", "map", "max", "min", "reject",
        "rejectattr", "reverse", "select", "selectattr", "slice", "sort", "sum", "unique",
    }
)  # fmt: skip


def bounded_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    passes_arg = getattr(fn, "jinja_pass_arg", None) is not None
    walks = name in _WALKING_FILTERS

    @functools.wraps(fn)  # keeps jinja_pass_arg: Jinja passes the context as before
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = current()
        check_ints((*args, *kwargs.values()), budget)
        head, values = (args[:1], list(args[1:])) if passes_arg else ((), list(args))
        value = values[0] if values else None
        budget.step(1 + (len(value) if walks and isinstance(value, Sized) else 0))
        _filter_checks(name, values, kwargs, budget)
        return budget.check_result(fn(*head, *values, **kwargs))

    return bounded


def tojson(value: Any, indent: int | None = None, **_: Any) -> str:
    budget = current()
    budget.check_deep(value)
    if indent is not None and (not is_int(indent) or indent > MAX_JSON_INDENT):
        raise TemplateLimitError(
            f"The chat template was stopped: tojson indent must be at most {MAX_JSON_INDENT}. {FIX}"
        )
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    budget.check_chars(len(text))
    return text
