"""A small real filesystem for tests: a tmpfs mounted inside the test's folder, filled on demand.

Mounting needs root with CAP_SYS_ADMIN; where that is not allowed the tests skip with the
reason. Read-only folders are read-only mounts too, because root ignores permission bits.
"""

from __future__ import annotations

import errno
import functools
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FILLER = "filler.bin"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


def _umount(point: Path) -> None:
    done = subprocess.run(["umount", str(point)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:  # something still holds it open: detach it anyway
        subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=30)


@functools.cache
def mount_unavailable() -> str | None:
    """None when a tmpfs can be mounted here, else why not (probed once per session)."""
    with tempfile.TemporaryDirectory(prefix="mount-probe-") as folder:
        try:
            done = _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", folder)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"cannot run mount: {exc}"
        if done.returncode != 0:
            return f"mounting a tmpfs is not allowed here: {done.stderr.strip()}"
        _umount(Path(folder))
    return None


def require_mount() -> None:
    reason = mount_unavailable()
    if reason is not None:
        pytest.skip(f"needs a real small filesystem; {reason} (run as root with CAP_SYS_ADMIN)")


@contextmanager
def small_disk(point: Path, size: str = "8m") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` at ``point``, unmounted afterwards whatever happens."""
    require_mount()
    point.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point))
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs failed: {done.stderr.strip()}")
    try:
        yield point
    finally:
        _umount(point)


def fill(disk: Path) -> Path:
    """Take every free byte of the filesystem holding ``disk``; returns the filler file."""
    filler = disk / FILLER
    with filler.open("ab", buffering=0) as handle:
        for size in (1 << 20, 1 << 16, 1 << 12, 1):  # big blocks first, then top up the rest
            block = b"\0" * size
            try:
                while handle.write(block):
                    pass
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return filler


def free(disk: Path) -> None:
    (disk / FILLER).unlink(missing_ok=True)


def make_read_only(point: Path) -> None:
    """Turn a small_disk mount read-only, as a locked-down or failing disk would be."""
    done = _mount("-o", "remount,ro", str(point))
    if done.returncode != 0:
        pytest.skip(f"remounting read-only failed: {done.stderr.strip()}")
