"""Will-it-fit arithmetic with given numbers, and the shipped catalog."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_chat.models import fit
from desktop_chat.models.catalog import CatalogError, load_catalog, parse_catalog
from desktop_chat.models.fit import Fit, MemoryBudget

GB = 1_000_000_000


@dataclass(frozen=True)
class File:
    quant: str | None
    size: int


def test_kv_cache_formula() -> None:
    # Llama-3.2-1B: 16 layers, 8 KV heads of 64 dims, f16, 4096 tokens = 128 MiB.
    assert fit.kv_cache_bytes(16, 4096, 8, 64, 64) == 128 * 1024 * 1024


def test_labels() -> None:
    need = fit.estimate(2 * GB, GB // 2)
    assert fit.fit_label(need, MemoryBudget(16 * GB)) is Fit.FITS
    assert fit.fit_label(need, MemoryBudget(need.total + 1)) is Fit.TIGHT
    assert fit.fit_label(need, MemoryBudget(2 * GB)) is Fit.TOO_BIG
    assert fit.fit_label(need, MemoryBudget(2 * GB, vram_free=8 * GB), use_gpu=True) is Fit.FITS
    spill = MemoryBudget(2 * GB, vram_free=2 * GB)
    assert fit.fit_label(need, spill, use_gpu=True) is Fit.TIGHT


def test_recommend_best_quant_that_fits() -> None:
    files = [File("Q2_K", GB), File("Q4_K_M", 2 * GB), File("Q8_0", 4 * GB), File("F16", 8 * GB)]
    assert fit.recommend(files, MemoryBudget(32 * GB)).quant == "Q8_0"  # type: ignore[union-attr]
    assert fit.recommend(files, MemoryBudget(4 * GB)).quant == "Q4_K_M"  # type: ignore[union-attr]
    assert fit.recommend(files, MemoryBudget(GB // 2)) is None


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (None, None),  # no nvidia-smi on PATH
        ("echo 1024; echo 2048", 2048 * 1024 * 1024),  # the emptiest of two GPUs
        ("echo 'NVIDIA-SMI has failed'; exit 9", None),
        ("echo '[N/A]'", None),
    ],
)
def test_vram_query_reads_nvidia_smi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str | None, expected: int | None
) -> None:
    if script is not None:
        tool = tmp_path / "nvidia-smi"
        tool.write_text(f"#!/bin/sh\n{script}\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(fit.vram, "nvml_free_bytes", lambda: None)  # the fallback path
    assert fit.vram_free() == expected


def test_catalog_loads_and_validates() -> None:
    entries = load_catalog()
    assert len(entries) >= 12
    assert any(e.kind == "embedding" for e in entries)
    assert any(e.good_at_chinese for e in entries)
    assert "Qwen/Qwen2.5-0.5B-Instruct-GGUF" in {e.repo_id for e in entries}


@pytest.mark.parametrize(
    "change", [{"repo_id": "no-slash"}, {"file": "../x.gguf"}, {"size_bytes": "big"}, {"kind": "x"}]
)
def test_catalog_rejects_bad_entries(change: dict[str, object]) -> None:
    from importlib import resources

    data = json.loads(
        resources.files("desktop_chat.resources").joinpath("catalog.json").read_text()
    )
    data["models"][0].update(change)
    with pytest.raises(CatalogError):
        parse_catalog(data)
