"""What this llama.cpp build is (backends, CPU features), read from its system-info line."""

from __future__ import annotations

from typing import Any


def parse_system_info(system: str, gpu_offload: bool, version: str) -> dict[str, Any]:
    """The About dialog's facts from ``llama_print_system_info``'s line.

    The line reads "CPU : SSE3 = 1 | AVX2 = 1 | CUDA : ARCHS = 890 | …": a "NAME : " starts
    each backend, and the CPU's features are the keys set to 1.
    """
    backends: list[str] = []
    features: list[str] = []
    backend = ""
    for part in system.split("|"):
        name, colon, rest = part.partition(" : ")
        if colon:
            backend = name.strip()
            backends.append(backend)
            part = rest
        key, _, value = part.partition("=")
        if backend == "CPU" and value.strip() == "1":
            features.append(key.strip())
    if gpu_offload and backends == ["CPU"]:
        backends.append("GPU")  # offload compiled in, but the line names no backend
    return {
        "llama_cpp_version": version,
        "gpu_offload": gpu_offload,
        "backends": backends or ["CPU"],
        "cpu_features": features,
        "system_info": system,
    }
