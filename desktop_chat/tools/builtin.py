"""The built-in tools (local only, off by default): date and time, calculator, KB search."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from desktop_chat.tools.calculator import CalculatorError, evaluate
from desktop_chat.tools.specs import ToolSpec

DATETIME = ToolSpec(
    "current_datetime",
    "The current local date, time, weekday and time zone.",
    {"type": "object", "properties": {}},
)
CALCULATOR = ToolSpec(
    "calculator",
    "Evaluate an arithmetic expression exactly, e.g. '12.5 * (3 + 4) ** 2' or 'sqrt(2)'.",
    {
        "type": "object",
        "properties": {"expression": {"type": "string", "description": "the arithmetic"}},
        "required": ["expression"],
    },
)
KB_SEARCH = ToolSpec(
    "knowledge_search",
    "Search the user's knowledge base for passages about a question.",
    {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "what to look for"},
            "knowledge_base": {"type": "string", "description": "its name (optional)"},
        },
        "required": ["query"],
    },
)
SPECS = {spec.name: spec for spec in (DATETIME, CALCULATOR, KB_SEARCH)}


class BuiltinError(Exception):
    """A built-in tool refused its arguments; str() is the sentence for the model and card."""


def run(name: str, arguments: dict[str, Any], default_kb: str = "") -> str:
    """Run a built-in tool; raises BuiltinError with a sentence."""
    handler = _HANDLERS.get(name)
    if handler is None:
        raise BuiltinError(f"There is no built-in tool named {name!r}.")
    return handler(arguments, default_kb)


def _datetime(_arguments: dict[str, Any], _kb: str) -> str:
    now = dt.datetime.now().astimezone()
    return json.dumps(
        {
            "date": now.date().isoformat(),
            "time": now.strftime("%H:%M:%S"),
            "weekday": now.strftime("%A"),
            "timezone": now.tzname() or "",
            "utc_offset": now.strftime("%z"),
        }
    )


def _calculator(arguments: dict[str, Any], _kb: str) -> str:
    expression = arguments.get("expression")
    if not isinstance(expression, str):
        raise BuiltinError("The calculator needs an 'expression' string.")
    try:
        return str(evaluate(expression))
    except CalculatorError as error:
        raise BuiltinError(str(error)) from None


def _kb_search(arguments: dict[str, Any], default_kb: str) -> str:
    from desktop_chat.kb import library
    from desktop_chat.kb.records import KbError

    query = arguments.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BuiltinError("Knowledge search needs a 'query' string.")
    name = arguments.get("knowledge_base") or default_kb
    names = library.list_kbs()
    if not names:
        raise BuiltinError("There is no knowledge base yet; the user can create one in Knowledge.")
    if not isinstance(name, str) or name not in names:
        name = names[0]
    try:
        kb = library.open_kb(name)
        try:
            passages = kb.search(query, k=4)
        finally:
            kb.close()
    except KbError as error:
        raise BuiltinError(str(error)) from None
    if not passages:
        return f"Nothing in the knowledge base {name!r} is about that."
    return "\n\n".join(f"[{p.source} — {p.section or p.title}]\n{p.text}" for p in passages)


_HANDLERS: dict[str, Callable[[dict[str, Any], str], str]] = {
    DATETIME.name: _datetime,
    CALCULATOR.name: _calculator,
    KB_SEARCH.name: _kb_search,
}
