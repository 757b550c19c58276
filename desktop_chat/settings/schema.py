"""Every setting declared once: typed frozen sections whose field metadata is the FIELDS table."""

from __future__ import annotations

import builtins
import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

_T = TypeVar("_T")

CHAT_FORMATS = (
    "auto",
    "chatml",
    "llama-2",
    "llama-3",
    "gemma",
    "mistral-instruct",
    "phi-3",
    "qwen",
    "zephyr",
    "alpaca",
    "vicuna",
    "custom",
)
KV_CACHE_TYPES = ("f16", "q8_0", "q4_0")
SPECULATIVE_MODES = ("auto", "prompt_lookup", "draft_model", "off")
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")
CONTEXT_POLICIES = ("drop_oldest", "ask")

DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant."

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


@dataclass(frozen=True)
class InferenceSettings:
    n_ctx: int = setting(
        0,
        label="Context length",
        help="How many tokens the model sees at once: system prompt, history and answer. "
        "0 = auto: 4096, or the model's trained maximum if that is smaller. "
        "Longer contexts use more memory.",
        min=0,
        max=262144,
        unit="tokens",
        needs_reload=True,
        special={0: "Auto"},
    )
    n_gpu_layers: int = setting(
        -1,
        label="GPU layers",
        help="Model layers to run on the GPU. 0 = CPU only; "
        "-1 = Auto: as many as fit in free video memory.",
        min=-1,
        max=999,
        unit="layers",
        needs_reload=True,
        special={-1: "Auto"},  # the help line says what Auto does: a longer text is cut
    )
    n_threads: int = setting(
        0,
        label="CPU threads",
        help="Threads used for generation. 0 = one per physical core.",
        min=0,
        max=256,
        unit="threads",
        needs_reload=True,
        special={0: "Physical cores"},
    )
    n_batch: int = setting(
        512,
        label="Prompt batch size",
        help="Tokens evaluated per step while reading the prompt. "
        "Larger is faster on a GPU and uses more memory.",
        min=32,
        max=4096,
        unit="tokens",
        needs_reload=True,
    )
    flash_attn: bool = setting(
        True,
        label="Flash attention",
        help="A faster, leaner attention kernel. Turn off only if a model misbehaves with it.",
        needs_reload=True,
    )
    use_mmap: bool = setting(
        True,
        label="Memory-map the model file",
        help="Load the model lazily from disk, sharing pages with the file cache.",
        needs_reload=True,
    )
    use_mlock: bool = setting(
        False,
        label="Lock the model in RAM",
        help="Keep the model from being swapped out. Needs enough free RAM.",
        needs_reload=True,
    )
    kv_cache_type: str = setting(
        "f16",
        label="KV cache precision",
        help="Quantizing the context cache (q8_0, q4_0) saves memory at a small cost in quality.",
        choices=KV_CACHE_TYPES,
        needs_reload=True,
    )
    speculative: str = setting(
        "auto",
        label="Speculative decoding",
        help="Guess several tokens ahead from the prompt and check them in one step; it can be "
        "faster when the answer copies the prompt (grounded answers, corrections, "
        "translations). Auto leaves it off: on a 2-core test machine it measured slower. "
        "'Draft model' needs a smaller model of the same family below.",
        choices=SPECULATIVE_MODES,
        needs_reload=True,
    )
    draft_model: str = setting(
        "",
        label="Draft model",
        help="Path of a smaller GGUF of the same family, used when speculative decoding is "
        "'draft model'. Empty = none.",
        needs_reload=True,
    )
    state_cache_mb: int = setting(
        256,
        label="Saved chat states",
        help="Memory kept for the model states of recent chats, so going back to one does "
        "not re-read its history. 0 = keep none.",
        min=0,
        max=65536,
        unit="MB",
        needs_reload=True,
    )


@dataclass(frozen=True)
class GenerationSettings:
    temperature: float = setting(
        0.7,
        label="Temperature",
        help="Randomness of the answer: 0 always picks the likeliest token, higher is more varied.",
        min=0.0,
        max=2.0,
    )
    top_p: float = setting(
        0.95,
        label="Top P",
        help="Sample only from the likeliest tokens whose probabilities add up to this.",
        min=0.0,
        max=1.0,
    )
    top_k: int = setting(
        40,
        label="Top K",
        help="Sample only from this many likeliest tokens. 0 = no limit.",
        min=0,
        max=200,
        unit="tokens",
        special={0: "No limit"},
    )
    min_p: float = setting(
        0.05,
        label="Min P",
        help="Drop tokens less likely than this fraction of the likeliest one.",
        min=0.0,
        max=1.0,
    )
    repeat_penalty: float = setting(
        1.1,
        label="Repeat penalty",
        help="Discourage repeating recent tokens. 1 = no penalty.",
        min=1.0,
        max=2.0,
    )
    max_tokens: int = setting(
        1024,
        label="Maximum answer length",
        help="The answer stops after this many tokens.",
        min=16,
        max=32768,
        unit="tokens",
    )
    seed: int = setting(
        -1,
        label="Seed",
        help="-1 = random each time; any other number makes answers repeatable.",
        min=-1,
        max=4294967295,
        special={-1: "Random"},
    )
    stop: tuple[str, ...] = setting(
        (),
        label="Stop sequences",
        help="The answer ends when the model writes one of these strings.",
    )
    system_prompt: str = setting(
        DEFAULT_SYSTEM_PROMPT,
        label="System prompt",
        help="Instructions given to the model before every conversation.",
    )
    chat_format: str = setting(
        "auto",
        label="Chat format",
        help="How messages are laid out for the model. Auto uses the template in the model "
        "file, else one chosen from its architecture.",
        choices=CHAT_FORMATS,
        needs_reload=True,
    )
    custom_template: str = setting(
        "",
        label="Custom chat template",
        help="A Jinja chat template, used when the chat format is 'custom'.",
        needs_reload=True,
    )
    thinking: str = setting(
        "auto",
        label="Thinking",
        help="For models that think before they answer (Qwen3, DeepSeek-R1, gpt-oss): auto "
        "leaves it to the model, on and off switch it where the model's template allows.",
        choices=("auto", "on", "off"),
    )


@dataclass(frozen=True)
class AppearanceSettings:
    theme: str = setting(
        "system",
        label="Theme",
        help="Follow the system's light or dark mode, or pick one.",
        choices=THEMES,
    )
    font_size: int = setting(
        11, label="Font size", help="Text size in the chat.", min=8, max=32, unit="pt"
    )
    chat_width: int = setting(
        860,
        label="Chat width",
        help="Widest the conversation column grows on large windows.",
        min=480,
        max=2000,
        unit="px",
    )
    kiosk_idle_minutes: int = setting(
        3,
        label="Kiosk idle reset",
        help="In kiosk view, start a fresh conversation after this many idle minutes (0: never).",
        min=0,
        max=240,
        unit="min",
    )
    kiosk_pin: str = setting(
        "",
        label="Kiosk PIN",
        help="Asked before kiosk view can be left (F11). Empty: not asked.",
    )


@dataclass(frozen=True)
class AppSettings:
    language: str = setting(
        "system",
        label="Language",
        help="Language of the interface. Takes effect after a restart.",
        choices=LANGUAGES,
    )
    current_model: str = setting(
        "",
        label="Current model",
        help="Path of the model loaded at start. Empty = none.",
    )
    context_policy: str = setting(
        "drop_oldest",
        label="When the conversation is too long",
        help="Drop the oldest turns automatically, or ask first.",
        choices=CONTEXT_POLICIES,
    )
    last_profile: str = setting(
        "",
        label="Last profile",
        help="The settings profile chosen last.",
    )


SERVER_HOST_DEFAULT = "127.0.0.1"


@dataclass(frozen=True)
class ServerSettings:
    enabled: bool = setting(
        False,
        label="Serve an OpenAI-compatible API",
        help="Let other programs on this computer use the loaded model through an "
        "OpenAI-compatible HTTP API.",
    )
    host: str = setting(
        SERVER_HOST_DEFAULT,
        label="Listen address",
        help="127.0.0.1 = this computer only. Any other address makes the API reachable from "
        "other machines and needs an API key.",
    )
    port: int = setting(8080, label="Port", help="The TCP port of the API.", min=1, max=65535)
    api_key: str = setting(
        "",
        label="API key",
        help="Clients send it as 'Authorization: Bearer <key>'. Empty = no key (this computer "
        "only).",
    )
    cors_origins: tuple[str, ...] = setting(
        (),
        label="Allowed web origins (CORS)",
        help="Web pages allowed to call the API from a browser, e.g. http://localhost:3000. "
        "Empty = none.",
    )
    max_queue: int = setting(
        8,
        label="Request queue",
        help="Server requests waiting for or using the model at once; more are refused with 429.",
        min=1,
        max=256,
        unit="requests",
    )
    max_body_kb: int = setting(
        1024,
        label="Largest request",
        help="Bigger request bodies are refused with 413.",
        min=1,
        max=65536,
        unit="KB",
    )
    log_bodies: bool = setting(
        False,
        label="Log message text",
        help="Write the messages and answers of each request to the request log. Off = "
        "only sizes and timings.",
    )


@dataclass(frozen=True)
class RemoteSettings:
    connect_timeout_s: float = setting(
        10.0,
        label="Connect timeout",
        help="How long to wait for a remote engine to accept the connection.",
        min=1.0,
        max=300.0,
        unit="s",
    )
    stall_timeout_s: float = setting(
        60.0,
        label="Stall timeout",
        help="A remote answer that sends nothing for this long is stopped (what arrived is "
        "kept). An endpoint's own timeout wins.",
        min=1.0,
        max=3600.0,
        unit="s",
    )
    default_context: int = setting(
        4096,
        label="Remote context size",
        help="The context size assumed for a remote model when its server does not say it and "
        "the endpoint sets none.",
        min=256,
        max=1048576,
        unit="tokens",
    )


SECTIONS: Mapping[str, builtins.type[Any]] = MappingProxyType(
    {
        "inference": InferenceSettings,
        "generation": GenerationSettings,
        "appearance": AppearanceSettings,
        "app": AppSettings,
        "server": ServerSettings,
        "remote": RemoteSettings,
    }
)


@dataclass(frozen=True)
class Settings:
    """All settings. ``per_model`` maps a model file name to {"section.name": value} overrides."""

    inference: InferenceSettings = dataclasses.field(default_factory=InferenceSettings)
    generation: GenerationSettings = dataclasses.field(default_factory=GenerationSettings)
    appearance: AppearanceSettings = dataclasses.field(default_factory=AppearanceSettings)
    app: AppSettings = dataclasses.field(default_factory=AppSettings)
    server: ServerSettings = dataclasses.field(default_factory=ServerSettings)
    remote: RemoteSettings = dataclasses.field(default_factory=RemoteSettings)
    # Read-only mappings; hash=False keeps Settings hashable by its sections.
    per_model: Mapping[str, Mapping[str, Any]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


_PLAIN_TYPES: dict[Any, builtins.type[Any]] = {
    int: int,
    float: float,
    bool: bool,
    str: str,
    tuple[str, ...]: tuple,
}


def _build_fields() -> dict[str, Field]:
    table: dict[str, Field] = {}
    for section, cls in SECTIONS.items():
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            meta = item.metadata
            table[f"{section}.{item.name}"] = Field(
                key=f"{section}.{item.name}",
                type=_PLAIN_TYPES[hints[item.name]],
                default=item.default,
                min=meta["min"],
                max=meta["max"],
                choices=meta["choices"],
                unit=meta["unit"],
                label=meta["label"],
                help=meta["help"],
                needs_reload=meta["needs_reload"],
                special=meta["special"],
            )
    return table


# In declaration order: the Settings pane and `config list` show them in this order.
FIELDS: dict[str, Field] = _build_fields()
OVERRIDABLE_KEYS: tuple[str, ...] = tuple(key for key, f in FIELDS.items() if f.overridable)
