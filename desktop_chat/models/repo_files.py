"""A Hub repo's GGUF files with a will-it-fit label each and the recommended one (for Discover)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_chat.models import fit, hub
from desktop_chat.models.hub import HubModelFile


@dataclass(frozen=True)
class RepoFiles:
    repo_id: str
    files: list[HubModelFile]
    labels: dict[str, fit.Fit]
    recommended: str | None
    ram_available: int


def fetch_repo_files(repo_id: str) -> RepoFiles:
    """Runs on the task runner (a Hub call), so asking NVML for free VRAM costs the GUI nothing."""
    files = hub.list_gguf_files(repo_id)
    return label_files(repo_id, files, fit.current_budget(query_gpu=True))


def label_files(repo_id: str, files: list[HubModelFile], budget: fit.MemoryBudget) -> RepoFiles:
    """Fit labels against VRAM (spilling into RAM) when a GPU reported free memory, else RAM."""
    gpu = budget.vram_free is not None
    labels = {f.filename: fit.fit_label(fit.estimate(f.size, 0), budget, gpu) for f in files}
    best = fit.recommend(files, budget, use_gpu=gpu)
    return RepoFiles(repo_id, files, labels, best.filename if best else None, budget.ram_available)
