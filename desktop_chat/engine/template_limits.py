"""A Jinja sandbox with limits: a chat template from a file may not loop, grow or run unbounded.

Jinja's own sandbox stops a template from reaching Python's internals, but not from spending
forever or every byte of memory: a loop inside a loop over ``range(100000)``, a
``'%0999999999d' % 1`` or a string doubled thirty times all pass it. Every render here runs
under a ``Budget`` (a step count, a deadline, a cancel event and a size cap, all scaled to the
conversation being rendered) that the template's loops, calls, operators, filters and output
report to, so a hostile or buggy template ends in a ``TemplateLimitError`` sentence instead.
"""

from __future__ import annotations

import functools
import threading
import types
from collections.abc import Callable, Generator, Iterator
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from desktop_chat.engine import template_budget
from desktop_chat.engine.template_budget import (
    FIX,
    MAX_RANGE,
    TIME_LIMIT_S,
    Budget,
    TemplateLimitError,
    check_int_bits,
    check_ints,
    current,
    deep_size,
    is_int,
)
from desktop_chat.engine.template_checks import (
    EscapeFormatter,
    Formatter,
    bounded_filter,
    check_printf,
    check_str_method,
    tojson,
)

__all__ = ["TIME_LIMIT_S", "BoundedSandbox", "TemplateLimitError", "render"]
MACRO_CALL_STEPS = 4  # a macro call costs about as much as four loop turns


class _Counted:
    """The iterable of a ``{% for %}``: every turn of the loop is one step of the budget."""

    __slots__ = ("_items",)

    def __init__(self, items: Any) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        budget = current()
        for item in self._items:
            budget.step()
            yield item

    def __len__(self) -> int:
        return len(self._items)  # a TypeError for a generator, as Jinja's loop expects


def _concat(parts: list[Any]) -> str:
    """``a ~ b``: each part measured before it becomes text, the result after."""
    budget = current()
    total = 0
    for part in parts:
        total += deep_size(part, budget.max_chars)
        budget.check_chars(total)
    return "".join(str(part) for part in parts)


def _range(*args: int) -> range:
    current().step()
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(
            f"The chat template was stopped: it asks for a range of {len(numbers):,} numbers "
            f"(at most {MAX_RANGE:,}). {FIX}"
        )
    return numbers


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` passes here before it becomes output text."""
    current().check_deep(value)
    return value


class _Guard(NodeTransformer):
    """Rewrites the parsed template so loops and ``~`` report to the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_dc_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        parts = nodes.List(list(node.nodes), lineno=node.lineno)
        return nodes.Filter(parts, "_dc_concat", [], [], None, None, lineno=node.lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every loop, call, operator and filter on the budget."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=_finalize, **options)
        self.globals.pop("lipsum", None)  # writes any number of paragraphs; no template needs it
        self.globals["range"] = _range
        self.filters["tojson"] = tojson
        self.filters = {name: bounded_filter(name, fn) for name, fn in self.filters.items()}
        self.filters["_dc_loop"] = _Counted
        self.filters["_dc_concat"] = _concat

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        template = super()._parse(source, name, filename)
        guarded = _Guard().visit(template)
        assert isinstance(guarded, nodes.Template)
        return guarded

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = current()
        budget.step()
        sized = (str, bytes, list, tuple)
        if operator == "+":
            if isinstance(left, sized) and isinstance(right, sized):
                budget.check_chars(len(left) + len(right))
        elif operator == "*":
            if isinstance(left, sized) and is_int(right):
                budget.check_chars(len(left) * max(0, right))
            elif isinstance(right, sized) and is_int(left):
                budget.check_chars(len(right) * max(0, left))
            elif is_int(left) and is_int(right):
                check_int_bits(left.bit_length() + right.bit_length())
        elif operator == "**":
            if is_int(left) and is_int(right) and right > 0 and abs(left) > 1:
                check_int_bits(left.bit_length() * right)
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right, budget)
        return budget.check_result(self.binop_table[operator](left, right))

    def call(  # type: ignore[override]
        self, context: Context, obj: Any, /, *args: Any, **kwargs: Any
    ) -> Any:
        budget = current()
        budget.step(MACRO_CALL_STEPS if isinstance(obj, Macro) else 1)
        if not self.is_safe_callable(obj):
            raise SecurityError(f"{obj!r} is not safely callable")
        if obj is not _range:  # it says so itself, naming the range
            check_ints((*args, *kwargs.values()), budget)
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str | bytes):
            args = check_str_method(owner, getattr(obj, "__name__", ""), args, budget)
        return budget.check_result(context.call(obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's own wrapper for ``str.format``, with a formatter that checks field widths."""
        if not isinstance(
            value, types.MethodType | types.BuiltinMethodType
        ) or value.__name__ not in ("format", "format_map"):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        formatter: SandboxedFormatter = (
            EscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else Formatter(self)
        )
        is_format_map = value.__name__ == "format_map"
        kind = type(text)

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            return kind(formatter.vformat(text, args, kwargs))

        return functools.update_wrapper(wrapper, value)


def render(
    template: jinja2.Template,
    variables: dict[str, Any],
    input_chars: int,
    time_limit_s: float | None = TIME_LIMIT_S,
    cancel: threading.Event | None = None,
) -> str:
    """Render under a fresh budget, stopping as soon as the output passes the size cap.

    Raises TemplateLimitError past a limit; anything else the template raises passes through.
    """
    budget = Budget(input_chars, time_limit_s, cancel)
    outer = getattr(template_budget.STATE, "budget", None)
    template_budget.STATE.budget = budget
    chunks = cast(Generator[str, None, None], template.generate(variables))
    try:
        parts: list[str] = []
        total = 0
        for chunk in chunks:
            total += len(chunk)
            budget.check_chars(total)
            parts.append(chunk)
        budget.check_clock()
        return "".join(parts)
    except MemoryError:
        raise TemplateLimitError(
            f"The chat template was stopped: it needs more memory than this computer has. {FIX}"
        ) from None
    except RecursionError:
        raise TemplateLimitError(
            f"The chat template was stopped: a macro or loop in it calls itself without end. {FIX}"
        ) from None
    finally:
        chunks.close()
        template_budget.STATE.budget = outer
