"""Will-it-fit estimates: weights + KV cache + overhead against free RAM and VRAM."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

import psutil

from desktop_chat.models import vram
from desktop_chat.models.gguf_info import GGUFInfo

MIB = 1024 * 1024
BASE_OVERHEAD = 300 * MIB  # llama.cpp compute buffers, tokenizer, the app itself
OVERHEAD_FRACTION = 0.05  # scratch buffers grow with the model
TIGHT_FRACTION = 0.85  # above this share of free memory the system starts to swap
F16_BYTES = 2
NVIDIA_SMI_TIMEOUT_S = 2.0
CUDA_CONTEXT = 400 * MIB  # the CUDA runtime's own share, taken when llama.cpp starts it
COMPUTE_BASE = 256 * MIB  # llama.cpp's GPU compute buffers at n_ubatch 512 …
COMPUTE_PER_EMBD = 512 * 4 * 16  # … plus activations: n_ubatch x n_embd floats x ~16
VRAM_SPARE = 0.05  # other programs' allocations move while the model loads

# Lowest to highest quality. Full-precision files come first so that "recommended" picks
# Q8_0 over F16: on a CPU the half-size file is nearly as good and twice as fast.
QUANT_ORDER: tuple[str, ...] = (
    "F32", "BF16", "F16",
    "IQ1_S", "IQ1_M", "TQ1_0", "TQ2_0", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "Q2_K_S", "Q2_K",
    "IQ3_XXS", "IQ3_XS", "IQ3_S", "Q3_K_S", "IQ3_M", "Q3_K_M", "Q3_K_L",
    "IQ4_XS", "IQ4_NL", "Q4_0", "Q4_1", "Q4_K_S", "Q4_K_M",
    "Q5_0", "Q5_1", "Q5_K_S", "Q5_K_M", "Q6_K", "Q8_0",
)  # fmt: skip


class Fit(StrEnum):
    FITS = "fits"
    TIGHT = "tight"
    TOO_BIG = "too_big"


@dataclass(frozen=True)
class MemoryNeed:
    weights: int
    kv_cache: int
    overhead: int

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead


@dataclass(frozen=True)
class MemoryBudget:
    """Free memory now; ``vram_free`` is None where no GPU could be queried."""

    ram_available: int
    vram_free: int | None = None


class QuantFile(Protocol):
    @property
    def quant(self) -> str | None: ...
    @property
    def size(self) -> int: ...


F = TypeVar("F", bound=QuantFile)


def kv_cache_bytes(
    n_layers: int,
    n_ctx: int,
    n_head_kv: int,
    key_length: int,
    value_length: int,
    bytes_per_element: int = F16_BYTES,
) -> int:
    """K and V for every layer and position: n_layers * n_ctx * n_head_kv * (k + v) * bytes."""
    return n_layers * n_ctx * n_head_kv * (key_length + value_length) * bytes_per_element


def kv_cache_bytes_for(info: GGUFInfo, n_ctx: int, bytes_per_element: int = F16_BYTES) -> int:
    """KV cache of a model at ``n_ctx``; 0 when its metadata lacks the shapes."""
    layers, heads, embd = info.block_count, info.head_count, info.embedding_length
    if not layers or not heads or not embd:
        return 0
    heads_kv = info.head_count_kv or heads
    head_dim = embd // heads
    return kv_cache_bytes(
        layers,
        n_ctx,
        heads_kv,
        info.key_length or head_dim,
        info.value_length or head_dim,
        bytes_per_element,
    )


def estimate(weights_bytes: int, kv_bytes: int) -> MemoryNeed:
    overhead = BASE_OVERHEAD + int(weights_bytes * OVERHEAD_FRACTION)
    return MemoryNeed(weights_bytes, kv_bytes, overhead)


def estimate_for(info: GGUFInfo, n_ctx: int) -> MemoryNeed:
    return estimate(info.file_size, kv_cache_bytes_for(info, n_ctx))


def classify(need: int, available: int) -> Fit:
    if need <= available * TIGHT_FRACTION:
        return Fit.FITS
    if need <= available:
        return Fit.TIGHT
    return Fit.TOO_BIG


def fit_label(need: MemoryNeed, budget: MemoryBudget, use_gpu: bool = False) -> Fit:
    """FITS / TIGHT / TOO_BIG for CPU (RAM) or full GPU offload (VRAM, spilling into RAM)."""
    if use_gpu and budget.vram_free is not None:
        on_gpu = classify(need.total, budget.vram_free)
        if on_gpu is not Fit.TOO_BIG:
            return on_gpu
        # Partial offload still runs, slowly: never better than TIGHT.
        spill = classify(need.total, budget.vram_free + budget.ram_available)
        return Fit.TOO_BIG if spill is Fit.TOO_BIG else Fit.TIGHT
    return classify(need.total, budget.ram_available)


def quant_rank(quant: str | None) -> int:
    """Higher is better quality; unknown quantizations rank lowest."""
    if not quant:
        return -1
    try:
        return QUANT_ORDER.index(quant.upper())
    except ValueError:
        return -1


def recommend(
    files: Iterable[F],
    budget: MemoryBudget,
    kv_bytes: int = 0,
    use_gpu: bool = False,
) -> F | None:
    """The best-quality file that FITS (else the best that is TIGHT); None when nothing does."""
    labelled: Sequence[tuple[Fit, F]] = [
        (fit_label(estimate(f.size, kv_bytes), budget, use_gpu), f) for f in files
    ]
    for wanted in (Fit.FITS, Fit.TIGHT):
        candidates = [f for label, f in labelled if label is wanted]
        if candidates:
            return max(candidates, key=lambda f: (quant_rank(f.quant), f.size))
    return None


def ram_available() -> int:
    return int(psutil.virtual_memory().available)


def auto_gpu_layers(info: GGUFInfo, n_ctx: int, free: int | None, kv_bytes: int = F16_BYTES) -> int:
    """How many layers to offload: weights, KV cache and compute buffers within ``free``.

    ``free`` None (no NVML: Metal, Vulkan, an AMD card) offloads everything, as llama.cpp
    itself would be asked to. A count above ``block_count`` also puts the output layer on
    the GPU.
    """
    blocks = info.block_count or 0
    if free is None:
        return 999
    if blocks <= 0 or info.file_size <= 0:
        return 0
    compute = COMPUTE_BASE + COMPUTE_PER_EMBD * (info.embedding_length or 0)
    usable = free * (1 - VRAM_SPARE) - CUDA_CONTEXT - compute
    # The token embeddings stay in RAM and the output layer is about one block more.
    per_layer = info.file_size / (blocks + 2) + kv_cache_bytes_for(info, n_ctx, kv_bytes) / blocks
    if usable <= 0 or per_layer <= 0:
        return 0
    fitting = int(usable // per_layer)
    return blocks + 1 if fitting > blocks else fitting


def vram_free() -> int | None:
    """Free video memory through NVML, else nvidia-smi's emptiest GPU; None when unknown."""
    free = vram.nvml_free_bytes()
    if free is not None:
        return free
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        result = subprocess.run(
            [exe, "--query-gpu=memory.free", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=NVIDIA_SMI_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    values = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not values:
        return None
    try:
        return max(int(float(v)) for v in values) * MIB
    except ValueError:
        return None


def current_budget(query_gpu: bool = True) -> MemoryBudget:
    """Free RAM and, if asked, free VRAM (NVML is quick; the nvidia-smi fallback may take 2 s)."""
    return MemoryBudget(ram_available(), vram_free() if query_gpu else None)
