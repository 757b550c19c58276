"""Free VRAM through NVML, and the GPU layers that fit: NVML absent (here) and a fake NVML."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop_chat.models import fit, vram
from desktop_chat.models.gguf_info import GGUFInfo

GIB = 1024**3


class FakeNVML:
    """The few pynvml calls we make, over made-up GPUs (no GPU can exist on this machine)."""

    class NVMLError(Exception):
        pass

    def __init__(self, free: list[int], fail_init: bool = False) -> None:
        self.free, self.fail_init, self.shutdowns = free, fail_init, 0

    def nvmlInit(self) -> None:
        if self.fail_init:
            raise self.NVMLError("Driver Not Loaded")

    def nvmlShutdown(self) -> None:
        self.shutdowns += 1

    def nvmlDeviceGetCount(self) -> int:
        return len(self.free)

    def nvmlDeviceGetHandleByIndex(self, index: int) -> int:
        return index

    def nvmlDeviceGetMemoryInfo(self, handle: int) -> SimpleNamespace:
        return SimpleNamespace(free=self.free[handle], total=24 * GIB, used=0)


def test_without_nvidia_ml_py_there_is_no_vram(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", None)  # import fails
    assert vram.nvml_free_bytes() is None


def test_nvml_without_a_driver_means_no_vram() -> None:
    assert vram.nvml_free_bytes(FakeNVML([8 * GIB], fail_init=True)) is None
    # The real nvidia-ml-py on this machine has no driver to talk to either.
    assert vram.nvml_free_bytes() is None


def test_free_vram_is_summed_over_gpus_and_nvml_is_shut_down() -> None:
    fake = FakeNVML([3 * GIB, 5 * GIB])
    assert vram.nvml_free_bytes(fake) == 8 * GIB
    assert fake.shutdowns == 1
    assert vram.nvml_free_bytes(FakeNVML([])) is None


def test_fit_uses_nvml_before_nvidia_smi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vram, "_nvml", lambda: FakeNVML([6 * GIB]))
    monkeypatch.setenv("PATH", "")
    assert fit.vram_free() == 6 * GIB
    assert fit.current_budget().vram_free == 6 * GIB


def _model(file_size: int, blocks: int = 32) -> GGUFInfo:
    return GGUFInfo(
        path=Path("m.gguf"), name="m", architecture="llama", parameters=7_000_000_000,
        size_label="7B", quantization="Q4_K_M", file_size=file_size, context_length=8192,
        chat_template=None, bos_token=None, eos_token=None, block_count=blocks,
        embedding_length=4096, head_count=32, head_count_kv=8, key_length=128,
        value_length=128, split_count=1, gguf_version=3, license=None,
    )  # fmt: skip


def test_auto_layers_count_weights_kv_cache_and_compute_buffers() -> None:
    model = _model(4 * GIB)
    assert fit.auto_gpu_layers(model, 4096, 24 * GIB) == 33  # all blocks and the output
    assert fit.auto_gpu_layers(model, 4096, 0) == 0
    assert fit.auto_gpu_layers(model, 4096, 512 * 1024**2) == 0  # the buffers alone fill it
    partial = fit.auto_gpu_layers(model, 4096, 3 * GIB)
    assert 0 < partial < 32
    # A longer context needs more KV cache per layer: fewer layers fit.
    assert fit.auto_gpu_layers(model, 32768, 3 * GIB) < partial
    # Without NVML (Metal, Vulkan, AMD) everything is offered to the GPU build.
    assert fit.auto_gpu_layers(model, 4096, None) == 999
    assert fit.auto_gpu_layers(dataclasses.replace(model, block_count=None), 4096, GIB) == 0


def test_the_worker_offloads_what_fake_nvml_says_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_chat.engine import worker

    model = _model(4 * GIB)
    monkeypatch.setattr(vram, "_nvml", lambda: FakeNVML([3 * GIB]))
    expected = fit.auto_gpu_layers(model, 4096, 3 * GIB)
    assert worker.EngineWorker._resolve_gpu_layers(-1, model, True, 4096) == expected
    assert worker.EngineWorker._resolve_gpu_layers(-1, model, False, 4096) == 0
    assert worker.EngineWorker._resolve_gpu_layers(7, model, True, 4096) == 7


def test_discover_labels_use_vram_when_a_gpu_reports_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_chat.models import repo_files
    from desktop_chat.models.hub import HubModelFile

    files = [
        HubModelFile("r", f"m.{quant}.gguf", quant, size, ())
        for quant, size in (("Q4_K_M", 4 * GIB), ("Q8_0", 8 * GIB))
    ]
    on_cpu = repo_files.label_files("r", files, fit.MemoryBudget(6 * GIB, None))
    assert on_cpu.labels["m.Q8_0.gguf"] is fit.Fit.TOO_BIG and on_cpu.recommended == "m.Q4_K_M.gguf"
    on_gpu = repo_files.label_files("r", files, fit.MemoryBudget(6 * GIB, 24 * GIB))
    assert on_gpu.labels["m.Q8_0.gguf"] is fit.Fit.FITS and on_gpu.recommended == "m.Q8_0.gguf"
    # fetch_repo_files asks NVML (here a fake one) for the budget.
    monkeypatch.setattr(vram, "_nvml", lambda: FakeNVML([24 * GIB]))
    monkeypatch.setattr(repo_files.hub, "list_gguf_files", lambda repo: files)
    assert repo_files.fetch_repo_files("r").labels["m.Q8_0.gguf"] is fit.Fit.FITS
