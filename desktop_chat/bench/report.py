"""One benchmark figure with its target, and the table that prints them."""

from __future__ import annotations

import importlib.util
import operator
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str  # e.g. ">= 0.97"
    detail: str = ""

    @property
    def passed(self) -> bool:
        op_text, _, number = self.target.partition(" ")
        ops = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt}
        return bool(ops[op_text](self.value, float(number)))

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


def skipped_without_http_stack(name: str, target: str) -> list[Figure] | None:
    """The figure marked skipped when the openai client or the ASGI server is not installed."""
    missing = [m for m in ("openai", "uvicorn", "sse_starlette") if not importlib.util.find_spec(m)]
    if not missing:
        return None
    detail = f"skipped: {', '.join(missing)} not installed (pip install 'desktop-chat[test]')"
    return [Figure(name, 0.0, "", target, detail)]


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "target", "ok", "detail")]
    for f in figures:
        value = f"{f.value:.3g} {f.unit}".strip()
        rows.append((f.name, value, f.target, "yes" if f.passed else "NO", f.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
