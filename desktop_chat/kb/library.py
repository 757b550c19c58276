"""Named knowledge bases under paths.kb_dir(): create, open, list, delete, and the shop demo."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from desktop_chat import paths
from desktop_chat.fsutil import os_error_reason
from desktop_chat.kb.index import IndexReport, KbError, KnowledgeBase, ProgressCallback

DEMO_KB_NAME = "shop-demo"
SUFFIX = ".sqlite3"
SAMPLE_LANGUAGES = ("en", "zh")
_NAME = re.compile(r"^[\w][\w .-]{0,63}$")


class KbNotFoundError(KbError):
    pass


class KbExistsError(KbError):
    pass


def validate_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name) or name.endswith((".", " ")):
        raise KbError(
            f'"{name}" is not a usable knowledge base name: use up to 64 letters, digits, '
            "spaces, dots, dashes or underscores."
        )
    return name


def kb_file(name: str) -> Path:
    return paths.kb_dir() / f"{validate_name(name)}{SUFFIX}"


def list_kbs() -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in paths.kb_dir().glob(f"*{SUFFIX}"))


def exists(name: str) -> bool:
    return kb_file(name).is_file()


def require(name: str) -> str:
    """``name`` when a knowledge base of that name can be asked (the sample shop's is made on
    first use); KbError with a sentence when the name is unusable, KbNotFoundError when no
    such knowledge base exists (naming those that do)."""
    if name == DEMO_KB_NAME:
        return name
    if not exists(validate_name(name)):
        known = ", ".join(list_kbs()) or "none yet"
        raise KbNotFoundError(f"There is no knowledge base “{name}” (there are: {known}).")
    return name


def open_kb(name: str) -> KnowledgeBase:
    """Open an existing knowledge base; raises KbNotFoundError."""
    if not exists(name):
        raise KbNotFoundError(f'There is no knowledge base called "{name}".')
    return KnowledgeBase(kb_file(name))


def create_kb(
    name: str,
    sources: Iterable[Path | str],
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> IndexReport:
    """Create a knowledge base from files and folders; raises KbExistsError if the name is taken.

    It is built under a hidden folder and moved into place only when complete, so a full disk,
    an error or a cancel never leaves a partial file that looks like a knowledge base (KbError
    with a sentence; ``report.cancelled`` for a cancel, and nothing is created).
    """
    target = kb_file(name)
    if target.is_file():
        raise KbExistsError(f'A knowledge base called "{name}" already exists.')
    building = _building_dir()
    partial = building / target.name
    try:
        with KnowledgeBase(partial) as kb:
            report = kb.add_paths(sources, progress, cancel)
        if report.cancelled:
            return report
        # Closing checkpoints the WAL into the file; one left over means that write failed.
        if _side_files(partial):
            raise KbError(
                f'The knowledge base "{name}" could not be written completely. Free some disk '
                "space and try again."
            )
        if target.exists():
            raise KbExistsError(f'A knowledge base called "{name}" already exists.')
        os.replace(partial, target)
        return report
    except OSError as exc:
        raise KbError(
            f'The knowledge base "{name}" could not be saved ({os_error_reason(exc)}).'
        ) from exc
    finally:
        shutil.rmtree(building, ignore_errors=True)


# A build folder older than this was left by a process that was killed mid-create.
ABANDONED_BUILD_S = 24 * 3600


def _building_dir() -> Path:
    """A fresh hidden folder beside the knowledge bases (same disk, so the final move is a rename)."""
    _sweep_abandoned_builds()
    try:
        return Path(tempfile.mkdtemp(prefix=".building-", dir=paths.kb_dir()))
    except OSError as exc:
        raise KbError(
            f"The knowledge base folder cannot be written ({os_error_reason(exc)}). Free some "
            "disk space or check the folder's permissions."
        ) from exc


def _sweep_abandoned_builds() -> None:
    """Remove build folders that a killed create left behind (never a recent one: another
    process may be building right now)."""
    cutoff = time.time() - ABANDONED_BUILD_S
    for folder in paths.kb_dir().glob(".building-*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _side_files(file: Path) -> list[Path]:
    return [p for p in (Path(f"{file}-wal"), Path(f"{file}-journal")) if p.exists()]


def delete_kb(name: str) -> bool:
    """Delete a knowledge base and its sqlite side files; False when there was none."""
    file = kb_file(name)
    found = file.is_file()
    for extra in ("", "-wal", "-shm"):
        Path(f"{file}{extra}").unlink(missing_ok=True)
    return found


def sample_kb_dir() -> Path:
    """The sample shop knowledge base shipped inside the package."""
    return Path(str(resources.files("desktop_chat") / "resources" / "sample_kb"))


def sample_kb_paths(lang: str) -> list[Path]:
    """The sample shop's files for one language ("en" or "zh")."""
    if lang not in SAMPLE_LANGUAGES:
        raise KbError(f'No sample knowledge base in language "{lang}".')
    folder = sample_kb_dir() / lang
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".csv"))


def sample_questions_file() -> Path:
    return sample_kb_dir() / "questions.json"


def ensure_demo_kb() -> str:
    """Create or refresh the "shop-demo" knowledge base from the packaged samples; its name.

    Unchanged files are not re-read beyond a stat, so calling this at each demo start is cheap.
    """
    files = [p for lang in SAMPLE_LANGUAGES for p in sample_kb_paths(lang)]
    with KnowledgeBase(kb_file(DEMO_KB_NAME)) as kb:
        known = {str(p) for p in kb.roots()}
        wanted = {str(p.resolve()) for p in files}
        if known != wanted:
            # The package moved (new install, new venv): start from the new location.
            kb.close()
            delete_kb(DEMO_KB_NAME)
            with KnowledgeBase(kb_file(DEMO_KB_NAME)) as fresh:
                fresh.add_paths(files)
        else:
            kb.sync()
    return DEMO_KB_NAME
