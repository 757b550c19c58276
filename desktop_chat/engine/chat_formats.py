"""Chat prompt formats: GGUF Jinja templates in a sandbox, and named formats written out here.

We render prompts ourselves instead of using llama-cpp-python's handlers because its
"gemma" handler drops the system message, its fallback is a Llama-2 prompt that base
models without a template do not understand, and we need the text of earlier turns to
stay byte-identical from turn to turn so llama.cpp can reuse the cached prompt prefix.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
import jinja2.ext

from desktop_chat.engine import template_limits
from desktop_chat.engine.template_limits import BoundedSandbox, TemplateLimitError
from desktop_chat.engine.tool_prompt import template_message
from desktop_chat.engine.types import ChatMessage

NAMED_FORMATS = (
    "chatml",
    "llama-3",
    "llama-2",
    "gemma",
    "mistral-instruct",
    "phi-3",
    "zephyr",
    "alpaca",
    "vicuna",
)
ALIASES = {
    "qwen": "chatml",
    "llama3": "llama-3",
    "llama2": "llama-2",
    "mistral": "mistral-instruct",
}


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stop: tuple[str, ...]
    # Jinja templates write BOS into the text themselves; named formats let the tokenizer add it.
    add_bos: bool


# Far above any chat template shipped in a GGUF file (the largest are a few tens of KB).
MAX_TEMPLATE_CHARS = 256 * 1024


class TemplateError(ValueError):
    """A chat template that cannot be compiled or rendered; str() is a user sentence."""


class _TemplateRaised(TemplateError):
    """The template's own ``raise_exception(...)``, e.g. "System role not supported"."""


def _fold_system(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Move the system prompt into the first user turn, for formats without a system role."""
    system = "\n\n".join(m.content for m in messages if m.role == "system" and m.content)
    rest = [m for m in messages if m.role != "system"]
    if not system:
        return rest
    if rest and rest[0].role == "user":
        return [ChatMessage("user", f"{system}\n\n{rest[0].content}"), *rest[1:]]
    return [ChatMessage("user", system), *rest]


def _turns(
    messages: Sequence[ChatMessage],
    wrap: dict[str, tuple[str, str]],
    generation_prefix: str,
) -> str:
    parts = []
    for message in messages:
        before, after = wrap[message.role]
        parts.append(f"{before}{message.content}{after}")
    parts.append(generation_prefix)
    return "".join(parts)


def _chatml(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {r: (f"<|im_start|>{r}\n", "<|im_end|>\n") for r in ("system", "user", "assistant")}
    return RenderedPrompt(_turns(messages, wrap, "<|im_start|>assistant\n"), ("<|im_end|>",), True)


def _llama3(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {
        r: (f"<|start_header_id|>{r}<|end_header_id|>\n\n", "<|eot_id|>")
        for r in ("system", "user", "assistant")
    }
    prefix = "<|start_header_id|>assistant<|end_header_id|>\n\n"
    return RenderedPrompt(_turns(messages, wrap, prefix), ("<|eot_id|>",), True)


def _gemma(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {
        "user": ("<start_of_turn>user\n", "<end_of_turn>\n"),
        "assistant": ("<start_of_turn>model\n", "<end_of_turn>\n"),
    }
    text = _turns(_fold_system(messages), wrap, "<start_of_turn>model\n")
    return RenderedPrompt(text, ("<end_of_turn>",), True)


def _llama2(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    system = "\n\n".join(m.content for m in messages if m.role == "system" and m.content)
    parts: list[str] = []
    first = True
    for message in (m for m in messages if m.role != "system"):
        if message.role == "user":
            head = f"<<SYS>>\n{system}\n<</SYS>>\n\n" if first and system else ""
            lead = "" if first else "<s>"
            parts.append(f"{lead}[INST] {head}{message.content} [/INST]")
            first = False
        else:
            parts.append(f" {message.content} </s>")
    return RenderedPrompt("".join(parts), ("</s>", "[INST]"), True)


def _mistral(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    parts = []
    for message in _fold_system(messages):
        if message.role == "user":
            parts.append(f"[INST] {message.content} [/INST]")
        else:
            parts.append(f"{message.content}</s>")
    return RenderedPrompt("".join(parts), ("</s>", "[INST]"), True)


def _phi3(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {r: (f"<|{r}|>\n", "<|end|>\n") for r in ("system", "user", "assistant")}
    return RenderedPrompt(_turns(messages, wrap, "<|assistant|>\n"), ("<|end|>",), True)


def _zephyr(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {r: (f"<|{r}|>\n", "</s>\n") for r in ("system", "user", "assistant")}
    return RenderedPrompt(_turns(messages, wrap, "<|assistant|>\n"), ("</s>",), True)


def _alpaca(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {
        "system": ("", "\n\n"),
        "user": ("### Instruction:\n", "\n\n"),
        "assistant": ("### Response:\n", "\n\n"),
    }
    return RenderedPrompt(
        _turns(messages, wrap, "### Response:\n"), ("### Instruction:", "### Response:"), True
    )


def _vicuna(messages: Sequence[ChatMessage]) -> RenderedPrompt:
    wrap = {
        "system": ("", "\n\n"),
        "user": ("USER: ", "\n"),
        "assistant": ("ASSISTANT: ", "</s>\n"),
    }
    return RenderedPrompt(_turns(messages, wrap, "ASSISTANT:"), ("</s>", "USER:"), True)


_FORMATTERS: dict[str, Callable[[Sequence[ChatMessage]], RenderedPrompt]] = {
    "chatml": _chatml,
    "llama-3": _llama3,
    "llama-2": _llama2,
    "gemma": _gemma,
    "mistral-instruct": _mistral,
    "phi-3": _phi3,
    "zephyr": _zephyr,
    "alpaca": _alpaca,
    "vicuna": _vicuna,
}


def canonical(name: str) -> str:
    return ALIASES.get(name, name)


def render_named(name: str, messages: Sequence[ChatMessage]) -> RenderedPrompt:
    try:
        formatter = _FORMATTERS[canonical(name)]
    except KeyError:
        raise TemplateError(f"Unknown chat format '{name}'.") from None
    return formatter(messages)


def _raise(message: str) -> None:
    raise _TemplateRaised(str(message))


class JinjaTemplate:
    """A GGUF or user chat template compiled in a sandbox whose renders are bounded in time,
    steps and size (see template_limits): a hostile template ends in a TemplateError."""

    def __init__(
        self,
        source: str,
        bos_token: str = "",
        eos_token: str = "",
        time_limit_s: float | None = template_limits.TIME_LIMIT_S,
    ) -> None:
        if len(source) > MAX_TEMPLATE_CHARS:
            raise TemplateError(
                f"The chat template is {len(source):,} characters long, more than the "
                f"{MAX_TEMPLATE_CHARS:,} this app accepts; it is not a real chat template."
            )
        env = BoundedSandbox(
            loader=jinja2.BaseLoader(),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=[jinja2.ext.loopcontrols],
        )
        try:
            self._template = env.from_string(source)
        except jinja2.TemplateError as error:
            raise TemplateError(f"The chat template does not compile: {error}") from error
        except Exception as error:  # nesting too deep for the parser or Python's compiler
            raise TemplateError(
                f"The chat template does not compile: {type(error).__name__}: {error}"
            ) from error
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.time_limit_s = time_limit_s
        # Set per turn by the worker (enable_thinking): the template's own knobs.
        self.variables: dict[str, Any] = {}

    def _render(self, messages: Sequence[ChatMessage], cancel: threading.Event | None) -> str:
        variables = {
            "messages": [template_message(m) for m in messages],
            "bos_token": self.bos_token,
            "eos_token": self.eos_token,
            "add_generation_prompt": True,
            "raise_exception": _raise,
            "strftime_now": lambda fmt: datetime.now().strftime(fmt),
            "tools": None,
            **self.variables,
        }
        input_chars = sum(len(m.content) for m in messages)
        input_chars += len(self.bos_token) + len(self.eos_token)
        input_chars += sum(len(c.arguments) for m in messages for c in m.tool_calls)
        input_chars += len(repr(self.variables.get("tools") or ""))
        try:
            return template_limits.render(
                self._template, variables, input_chars, self.time_limit_s, cancel
            )
        except TemplateError:
            raise
        except TemplateLimitError as error:
            raise TemplateError(str(error)) from error
        except Exception as error:  # a template is foreign code: any error is the template's
            raise TemplateError(f"The chat template failed to render: {error}") from error

    def render(
        self, messages: Sequence[ChatMessage], cancel: threading.Event | None = None
    ) -> RenderedPrompt:
        """Render off the GUI thread: it may take up to the time limit before it gives up."""
        try:
            text = self._render(messages, cancel)
        except _TemplateRaised:
            # Some templates (Gemma, Mistral) refuse a system role; fold it instead of failing.
            if not any(m.role == "system" for m in messages):
                raise
            text = self._render(_fold_system(messages), cancel)
        stops = tuple(s for s in (self.eos_token,) if s)
        return RenderedPrompt(text, stops, False)


SAMPLE_CONVERSATION = (
    ChatMessage("system", "You are a helpful assistant."),
    ChatMessage("user", "Hello!"),
    ChatMessage("assistant", "Hi! How can I help?"),
    ChatMessage("user", "What is 2 + 2?"),
)


def preview(
    source: str,
    bos_token: str = "<s>",
    eos_token: str = "</s>",
    cancel: threading.Event | None = None,
) -> str:
    """Render a custom template on a sample conversation; raises TemplateError with a sentence.

    Bounded like every render, but still up to seconds of work: call it off the GUI thread."""
    template = JinjaTemplate(source, bos_token, eos_token)
    return template.render(SAMPLE_CONVERSATION, cancel).text
