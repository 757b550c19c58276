"""Which chat format a model gets, and how a conversation is fitted into its context window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop_chat.engine.chat_formats import (
    NAMED_FORMATS,
    JinjaTemplate,
    RenderedPrompt,
    TemplateError,
    canonical,
    render_named,
)
from desktop_chat.engine.types import ChatMessage, ContextOverflowError

# Architectures whose files often lack a template, mapped to the format they were tuned on.
ARCHITECTURE_FORMATS = {
    "gemma": "gemma",
    "gemma2": "gemma",
    "gemma3": "gemma",
    "gemma3n": "gemma",
    "qwen": "chatml",
    "qwen2": "chatml",
    "qwen3": "chatml",
    "qwen2moe": "chatml",
    "phi3": "phi-3",
    "mistral": "mistral-instruct",
}
# Special tokens that give a file's format away when it has no template.
TOKEN_HINTS = (
    ("<|im_start|>", "chatml"),
    ("<|eot_id|>", "llama-3"),
    ("<start_of_turn>", "gemma"),
    ("<|end|>", "phi-3"),
)
TRUNCATION_MARK = "\n\n[… part of this long message was left out to fit the context window …]\n\n"


@dataclass(frozen=True)
class FormatChoice:
    """The prompt format in use and why, shown to the user in Settings and the status line."""

    name: str  # a named format, or "gguf-template" / "custom-template"
    source: str  # "gguf", "user", "architecture", "tokens", "default"
    note: str = ""
    template: JinjaTemplate | None = None

    def render(self, messages: Sequence[ChatMessage]) -> RenderedPrompt:
        if self.template is not None:
            return self.template.render(messages)
        return render_named(self.name, messages)


def choose_format(
    requested: str,
    custom_template: str,
    gguf_template: str | None,
    architecture: str,
    bos_token: str,
    eos_token: str,
    vocab_has: Callable[[str], bool],
) -> FormatChoice:
    """Pick the format: user choice, else the file's template, else architecture, else tokens."""
    requested = canonical(requested or "auto")
    if requested == "custom":
        if not custom_template.strip():
            raise TemplateError("The custom chat template is empty.")
        return FormatChoice(
            "custom-template", "user", template=JinjaTemplate(custom_template, bos_token, eos_token)
        )
    if requested in NAMED_FORMATS:
        return FormatChoice(requested, "user")
    note = ""
    if gguf_template:
        try:
            template = JinjaTemplate(gguf_template, bos_token, eos_token)
            template.render([ChatMessage("system", "s"), ChatMessage("user", "u")])
            return FormatChoice("gguf-template", "gguf", template=template)
        except TemplateError as error:
            note = f"The model's own chat template is broken ({error}); using a fallback format."
    arch_format = ARCHITECTURE_FORMATS.get(architecture.lower())
    if arch_format:
        return FormatChoice(arch_format, "architecture", note)
    for token, name in TOKEN_HINTS:
        if vocab_has(token):
            return FormatChoice(name, "tokens", note)
    return FormatChoice("chatml", "default", note)


@dataclass
class PromptPlan:
    text: str
    tokens: list[int]
    stop: tuple[str, ...]
    first_kept: int  # index into the history of the first message sent to the model
    notes: list[str] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.first_kept


Tokenize = Callable[[str, bool], list[int]]


def _turn_starts(history: Sequence[ChatMessage]) -> list[int]:
    starts = [i for i, m in enumerate(history) if m.role == "user"]
    return starts or [0]


def _assemble(system: str, history: Sequence[ChatMessage]) -> list[ChatMessage]:
    head = [ChatMessage("system", system)] if system.strip() else []
    return head + list(history)


def plan_prompt(
    system: str,
    history: Sequence[ChatMessage],
    fmt: FormatChoice,
    tokenize: Tokenize,
    n_ctx: int,
    reserve: int,
    policy: str = "drop_oldest",
    min_start: int = 0,
    continue_last: bool = False,
) -> PromptPlan:
    """Fit the system prompt and as many recent turns as the window allows, room reserved.

    Dropping moves the window start forward by whole turns and well past the limit (to about
    70 % of it), so the following turns keep the same prefix and llama.cpp keeps reusing its
    cache instead of re-evaluating the whole prompt every turn.
    """
    budget = max(16, n_ctx - reserve)
    starts = _turn_starts(history)
    start = max([s for s in starts if s <= min_start] or [0])

    def build(first: int, messages: Sequence[ChatMessage]) -> PromptPlan:
        rendered = fmt.render(_assemble(system, messages))
        text = rendered.text
        if continue_last and messages and messages[-1].role == "assistant":
            text = _open_last_turn(text, messages[-1].content)
        tokens = tokenize(text, rendered.add_bos)
        return PromptPlan(text, tokens, rendered.stop, first)

    plan = build(start, history[start:])
    if len(plan.tokens) <= budget:
        return plan
    if policy == "ask":
        raise ContextOverflowError(
            "This conversation no longer fits in the model's context window "
            f"({len(plan.tokens)} of {budget} tokens). Start a new chat, raise the context "
            "length in Settings, or let the app drop the oldest turns."
        )
    target = int(budget * 0.7)
    costs = [len(tokenize(m.content, False)) + 8 for m in history]
    later_starts = [s for s in starts if s > start]
    for candidate in later_starts:
        if sum(costs[candidate:]) <= target or candidate == starts[-1]:
            plan = build(candidate, history[candidate:])
            if len(plan.tokens) <= budget:
                break
    if len(plan.tokens) > budget:
        plan = _truncate_last(system, history, fmt, tokenize, budget, starts[-1])
    dropped = plan.first_kept
    if dropped:
        plan.notes.append(
            f"The {dropped} oldest message(s) no longer fit in the context window and were "
            "left out of what the model sees."
        )
    return plan


def _open_last_turn(text: str, content: str) -> str:
    """Cut the rendered prompt right after the partial answer, so the model goes on with it.

    Works for every format, because each one writes the answer's text verbatim and only then
    closes the turn (and perhaps opens a new one).
    """
    end = text.rfind(content) if content else -1
    return text[: end + len(content)] if end >= 0 else text


def _truncate_last(
    system: str,
    history: Sequence[ChatMessage],
    fmt: FormatChoice,
    tokenize: Tokenize,
    budget: int,
    start: int,
) -> PromptPlan:
    """Shorten the newest message (keeping its head and tail) when it alone overflows."""
    last = history[-1]
    kept = list(history[start:-1]) if start < len(history) - 1 else []
    overhead_text = fmt.render(_assemble(system, [*kept, ChatMessage(last.role, "")])).text
    overhead = len(tokenize(overhead_text, True))
    if overhead >= budget:
        kept = []
        overhead = len(
            tokenize(fmt.render(_assemble(system, [ChatMessage(last.role, "")])).text, True)
        )
        start = len(history) - 1
        if overhead >= budget:
            raise ContextOverflowError(
                "The system prompt alone fills the context window. Shorten it in Settings "
                "or raise the context length."
            )
    content = last.content
    total = max(1, len(tokenize(content, False)))
    allowed = budget - overhead - len(tokenize(TRUNCATION_MARK, False)) - 4
    ratio = max(0.0, allowed / total)
    while True:
        keep_chars = int(len(content) * ratio)
        head, tail = content[: keep_chars * 2 // 3], content[len(content) - keep_chars // 3 :]
        shortened = ChatMessage(last.role, head + TRUNCATION_MARK + tail)
        rendered = fmt.render(_assemble(system, [*kept, shortened]))
        tokens = tokenize(rendered.text, rendered.add_bos)
        if len(tokens) <= budget or keep_chars == 0:
            break
        ratio *= 0.9
    plan = PromptPlan(rendered.text, tokens, rendered.stop, start)
    plan.notes.append(
        f"Your message is about {total} tokens, more than the context window holds; the model "
        "saw its beginning and end. Raise the context length in Settings to send more of it."
    )
    return plan
