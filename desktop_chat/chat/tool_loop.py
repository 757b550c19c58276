"""One turn with tools: offer them, read the model's calls, ask approval, run them, feed the
results back, until the model answers in words or the turn's call limit is reached."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_chat.engine.types import ChatMessage, GenParams
from desktop_chat.tools import offer
from desktop_chat.tools.call_parser import CallParser, parse_forced
from desktop_chat.tools.specs import ToolCall, ToolOutcome, ToolSpec
from desktop_chat.tools.toolbox import Toolbox

ALLOW_ONCE, ALWAYS, DENY = "once", "always", "deny"
# ask(call, spec) -> ALLOW_ONCE | ALWAYS | DENY; may block (a terminal prompt, a GUI wait).
Approver = Callable[[ToolCall, ToolSpec | None], str]


@dataclass
class Round:
    """What one generation round gave: the text shown, the calls, and the notes for the user."""

    text: str
    calls: list[ToolCall] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tail: str = ""  # text held back until the stream ended, not shown yet


class ToolLoop:
    """Plain state of one turn; the caller generates, this decides what comes next."""

    def __init__(
        self,
        toolbox: Toolbox,
        approve: Approver,
        tool_choice: str = "auto",  # auto | required | none
        max_calls: int = 8,
    ) -> None:
        self.toolbox = toolbox
        self.approve = approve
        self.tool_choice = tool_choice
        self.max_calls = max_calls
        self.outcomes: list[ToolOutcome] = []
        self.extra: list[ChatMessage] = []  # the calls and results, for the next round's prompt
        self.cancel = threading.Event()
        self.rounds = 0
        self.parser = CallParser()

    @property
    def active(self) -> bool:
        return self.tool_choice != "none" and bool(self.toolbox.specs)

    def tools(self) -> str:
        """The offer for ChatRequest.tools ("" when none): the engine renders it in the
        model's own tool format, or as a Hermes block where its template has none."""
        return offer.functions(self.toolbox.specs.values()) if self.active else ""

    def forced(self) -> bool:
        """This round must be a call: generation is grammar-constrained to the call schema."""
        return self.active and self.tool_choice == "required" and self.rounds == 0

    def schema(self) -> str | None:
        return offer.call_schema(self.toolbox.specs.values()) if self.forced() else None

    def gen(self, gen: GenParams) -> GenParams:
        """Small models go on to write the tool's response themselves: stop them there."""
        if not self.active:
            return gen
        return dataclasses.replace(gen, stop=(*gen.stop, "</tool_response>"))

    def history(self, base: tuple[ChatMessage, ...]) -> tuple[ChatMessage, ...]:
        return base + tuple(self.extra)

    def feed(self, piece: str) -> str:
        """A streamed piece; returns what the user may see now (calls are held back)."""
        if not self.active or self.forced():
            return piece if not self.forced() else ""
        return self.parser.feed(piece)

    def end_round(self, full_text: str) -> Round:
        """The round's generation ended; its calls (empty: the answer is final)."""
        forced = self.forced()
        self.rounds += 1
        if not self.active:
            return Round(full_text)
        if forced:
            calls = parse_forced(full_text) or []
            result = Round("", calls)
            if not calls:
                result.text = full_text
                result.notes.append("The model did not write a valid tool call.")
        else:
            tail = self.parser.finish()
            result = Round(self.parser.text, list(self.parser.calls))
            result.notes.extend(m.note for m in self.parser.malformed)
            result.tail = tail
        self.parser = CallParser()
        room = self.max_calls - len(self.outcomes)
        if len(result.calls) > room:
            result.notes.append(
                f"The model asked for more than {self.max_calls} tool calls in one answer; "
                "the rest were not run."
            )
            result.calls = result.calls[: max(0, room)]
        return result

    def run(self, round_: Round) -> list[ToolOutcome]:
        """Approve and run the round's calls, queue their results for the next round."""
        outcomes: list[ToolOutcome] = []
        first = len(self.outcomes)
        for call in round_.calls:
            if self.cancel.is_set():
                outcomes.append(
                    ToolOutcome(call, status="cancelled", error="The call was stopped.")
                )
                continue
            spec = self.toolbox.specs.get(call.name)
            decision = ALLOW_ONCE if self.toolbox.trusted(call.name) else self.approve(call, spec)
            if decision == DENY:
                outcomes.append(
                    ToolOutcome(call, status="denied", error="The user did not allow this call.")
                )
                continue
            if decision == ALWAYS:
                self.toolbox.trust(call.name)
            outcomes.append(self.toolbox.run(call, self.cancel))
        self.outcomes.extend(outcomes)
        if outcomes:
            self.extra.append(offer.call_message(first, round_.calls, round_.text))
            self.extra.extend(offer.result_messages(first, outcomes))
        return outcomes

    def more_rounds(self) -> bool:
        return not self.cancel.is_set() and len(self.outcomes) < self.max_calls

    def records(self) -> list[dict[str, object]]:
        return [o.as_record() for o in self.outcomes]
