"""The files a knowledge base draws on: walking its roots, naming sources, step progress."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop_chat.kb.readers import is_supported
from desktop_chat.kb.records import IndexReport, ProgressCallback, SkippedFile


def step_progress(
    progress: ProgressCallback | None, source: str
) -> Callable[[int, int], None] | None:
    """Progress inside one long step (a PDF's pages, embedding) shown as (done, total, source)."""
    if progress is None:
        return None

    def step(done: int, total: int) -> None:
        progress(done, total, source)

    return step


def walk(roots: list[Path], report: IndexReport) -> Iterator[tuple[str, Path]]:
    """Supported files under the roots; named files of other types are reported as skipped."""
    for root in roots:
        if root.is_file():
            if is_supported(root):
                yield str(root), root
            else:
                sentence = (
                    f"{root.name} is not a document type that can be indexed; use PDF, Word "
                    "(.docx), HTML, Markdown, text or CSV."
                )
                report.skipped.append(SkippedFile(root.name, "unsupported file type", sentence))
        elif root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(folder, name)
                    if not name.startswith(".") and is_supported(file):
                        yield str(file), file
        else:
            sentence = f"{root} was not found; it may have been moved or deleted."
            report.skipped.append(SkippedFile(str(root), "not found", sentence))


def common_base(roots: list[Path]) -> Path | None:
    folders = [r if r.is_dir() else r.parent for r in roots]
    if not folders:
        return None
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives on Windows
        return None


def source_name(file: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return file.relative_to(base).as_posix()
        except ValueError:
            pass
    return file.name
