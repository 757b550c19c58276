"""Settings of the model and its answers: how it is loaded (``inference``) and how it
generates (``generation``); both may be overridden per model and per conversation."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.settings.declare import setting

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
DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant."


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
