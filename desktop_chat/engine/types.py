"""Plain data shared by the engine and its users: messages, parameters, results, errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Role(enum.StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class StopReason(enum.StrEnum):
    DONE = "done"
    STOPPED = "stopped"
    LENGTH = "length"
    ERROR = "error"


@dataclass(frozen=True)
class ToolCallRef:
    """A tool call the assistant made, as the next prompt and the OpenAI API carry it."""

    id: str  # 9 alphanumerics: Mistral's templates refuse any other shape
    name: str
    arguments: str  # a JSON object, as text


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user | assistant | tool (a tool's result)
    content: str
    tool_calls: tuple[ToolCallRef, ...] = ()  # an assistant turn that called tools
    name: str = ""  # role "tool": the tool that answered
    tool_call_id: str = ""  # role "tool": the call it answers


@dataclass(frozen=True)
class LoadParams:
    """How to open a model. n_ctx=0 means "4096, or the trained maximum if smaller"."""

    path: Path
    n_ctx: int = 0
    n_threads: int = 0
    n_gpu_layers: int = 0
    n_batch: int = 512
    flash_attn: bool = True
    use_mmap: bool = True
    use_mlock: bool = False
    chat_format: str = "auto"
    custom_template: str = ""
    seed: int = -1
    kv_cache_type: str = "f16"
    speculative: str = "auto"  # auto | prompt_lookup | draft_model | off
    draft_model: str = ""  # a smaller GGUF of the same family, for "draft_model"
    state_cache_mb: int = 256  # byte budget of the saved states of recent chats


@dataclass(frozen=True)
class GenParams:
    max_tokens: int = 1024
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    seed: int = -1
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    """What the engine knows about the loaded model, for the status line and budgets."""

    path: Path
    name: str
    architecture: str
    n_ctx: int
    n_ctx_train: int
    chat_format: str
    template_source: str  # "gguf", "architecture", "user", "default"
    gpu_offload_supported: bool
    n_gpu_layers: int
    load_seconds: float = 0.0
    # A sentence for the user when the model's own template could not be used (broken, or
    # over the render limits) and a fallback format was chosen; empty otherwise.
    format_note: str = ""


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ttft_s: float = 0.0
    tokens_per_s: float = 0.0
    total_s: float = 0.0
    stop_reason: StopReason = StopReason.DONE
    dropped_messages: int = 0
    notes: list[str] = field(default_factory=list)


# How templates that make the model think open its thought block at the end of the prompt.
THOUGHT_OPENERS = ("<think>", "<thought>", "<unused94>thought", "<|channel>thought")


def opens_thinking(prompt: str) -> bool:
    return prompt.rstrip().endswith(THOUGHT_OPENERS)


class EngineError(Exception):
    """An error a user can cause or fix; ``str(error)`` is the sentence shown in the UI."""


class ModelLoadError(EngineError):
    pass


class ContextOverflowError(EngineError):
    pass


class GenerationCancelled(Exception):
    """Raised inside the backend when the abort event is set during prompt evaluation."""


@dataclass(frozen=True)
class ChatRequest:
    """One turn to generate: the whole visible history, so the worker can budget the context."""

    history: tuple[ChatMessage, ...]
    system: str = ""
    gen: GenParams = field(default_factory=GenParams)
    policy: str = "drop_oldest"  # or "ask"
    conversation_key: str = ""
    # The window start used last turn; dropping never moves back before it, keeping the
    # prompt prefix stable for llama.cpp's cache.
    min_start: int = 0
    # The last message is a cut-off answer: extend it instead of starting a new turn.
    continue_last: bool = False
    # A JSON Schema the answer must match (llama.cpp grammar); None: free text.
    json_schema: str | None = None
    # Thinking models: "auto" (the template's default), "on" or "off" where it has a switch.
    thinking: str = "auto"
    # The tools offered this turn: a JSON array of OpenAI function tools; "" for none.
    tools: str = ""
    # A remote turn's tool_choice for the API ("required": the answer must be a call); "":
    # the server's default. Local turns force a call with json_schema instead.
    tool_choice: str = ""


@dataclass(frozen=True)
class PromptInfo:
    prompt_tokens: int
    n_ctx: int
    first_kept: int
    notes: tuple[str, ...] = ()
    # The rendered prompt ends inside an opened thought block (the template wrote <think>):
    # the model's text is reasoning until it closes the block.
    opens_thinking: bool = False
