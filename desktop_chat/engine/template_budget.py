"""What one chat-template render may spend: steps, time and size, and the error past them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

TIME_LIMIT_S = 3.0
STEP_BASE = 1_000_000  # loop iterations, calls and filters, for one render
STEPS_PER_INPUT_CHAR = 16
SIZE_BASE = 1_000_000  # characters any one value, or the whole prompt, may hold
SIZE_PER_INPUT_CHAR = 4
MAX_RANGE = 100_000
MAX_INT_BITS = 1 << 16
MAX_JSON_INDENT = 16
_CHECK_CLOCK_EVERY = 256
FIX = "Choose another chat format in Settings, or fix the template."


class TemplateLimitError(Exception):
    """A render went past one of its limits; str() is a sentence for the user."""


class Budget:
    """What one render may spend; the template's operations report to it as they run."""

    def __init__(
        self,
        input_chars: int = 0,
        time_limit_s: float | None = TIME_LIMIT_S,
        cancel: threading.Event | None = None,
    ) -> None:
        self.max_chars = SIZE_BASE + SIZE_PER_INPUT_CHAR * input_chars
        self.max_steps = STEP_BASE + STEPS_PER_INPUT_CHAR * input_chars
        self.time_limit_s = time_limit_s
        self.deadline = None if time_limit_s is None else time.monotonic() + time_limit_s
        self.cancel = cancel
        self.steps = 0
        self._next_clock = _CHECK_CLOCK_EVERY

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise TemplateLimitError(
                f"The chat template was stopped: it took more than {self.max_steps:,} steps "
                f"(loop turns and calls) for one prompt, far more than a chat template needs. "
                f"{FIX}"
            )
        if self.steps >= self._next_clock:
            self._next_clock = self.steps + _CHECK_CLOCK_EVERY
            self.check_clock()

    def check_clock(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise TemplateLimitError("The chat template check was cancelled.")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"The chat template was stopped after {self.time_limit_s:g} seconds without "
                f"finishing. {FIX}"
            )

    def too_long(self) -> TemplateLimitError:
        return TemplateLimitError(
            f"The chat template was stopped: it builds text longer than {self.max_chars:,} "
            f"characters. {FIX}"
        )

    def check_chars(self, count: int) -> None:
        if count > self.max_chars:
            raise self.too_long()

    def check_deep(self, value: Any) -> None:
        """``value`` is about to become text: refuse it if that text would be too long."""
        self.check_chars(deep_size(value, self.max_chars))

    def check_result(self, value: Any) -> Any:
        """A value a template made: strings by length, containers by item count."""
        if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
            self.check_chars(len(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            check_int_bits(value.bit_length())
        return value


STATE = threading.local()  # .budget: the render running on this thread


def current() -> Budget:
    """The budget of the render running on this thread; a fresh default one outside a render
    (Jinja folds constant expressions while compiling)."""
    budget = getattr(STATE, "budget", None)
    return budget if budget is not None else Budget(time_limit_s=None)


def deep_size(value: Any, limit: int) -> int:
    """About how many characters ``value`` is as text; stops counting once past ``limit``."""
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, list | tuple | dict | set | frozenset):
        return 0
    total = 0
    stack: list[Any] = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            stack.extend(item)
    return total


def check_int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimitError(
            f"The chat template was stopped: it computes a number longer than {MAX_INT_BITS:,} "
            f"bits. {FIX}"
        )


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_ints(values: Iterable[Any], budget: Budget) -> None:
    """A width, count or length past the size cap can only build something too big."""
    for value in values:
        if is_int(value) and abs(value) > budget.max_chars:
            raise budget.too_long()
