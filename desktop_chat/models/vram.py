"""Free video memory of the NVIDIA GPUs through NVML (nvidia-ml-py), without nvidia-smi."""

from __future__ import annotations

import contextlib
import importlib
import logging
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)


def _nvml() -> ModuleType | None:
    try:
        return importlib.import_module("pynvml")
    except ImportError:  # nvidia-ml-py is not installed
        return None


def nvml_free_bytes(nvml: Any | None = None) -> int | None:
    """Free bytes summed over every NVIDIA GPU, or None without NVML, a driver or a GPU.

    Summed because llama.cpp splits layers over all visible GPUs by default. NVML answers
    in milliseconds and opens no CUDA context, unlike nvidia-smi (up to 2 s) or CUDA.
    """
    nvml = nvml if nvml is not None else _nvml()
    if nvml is None:
        return None
    try:
        nvml.nvmlInit()
    except Exception as error:  # NVMLError_LibraryNotFound / DriverNotLoaded: no GPU here
        log.debug("NVML unavailable: %s", error)
        return None
    try:
        count = int(nvml.nvmlDeviceGetCount())
        free = [
            int(nvml.nvmlDeviceGetMemoryInfo(nvml.nvmlDeviceGetHandleByIndex(i)).free)
            for i in range(count)
        ]
    except Exception as error:
        log.warning("NVML could not report free video memory: %s", error)
        return None
    finally:
        with contextlib.suppress(Exception):
            nvml.nvmlShutdown()
    return sum(free) if free else None
