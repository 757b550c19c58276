"""Uncaught errors logged and reported instead of killing the app; native crashes noted for next time."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from desktop_chat import fsutil, paths

log = logging.getLogger(__name__)

NATIVE_CRASH_FILE = "native-crash.log"

Reporter = Callable[[str], None]


def native_crash_file() -> Path:
    return paths.logs_dir() / NATIVE_CRASH_FILE


def take_previous_native_crash() -> Path | None:
    """The faulthandler file a native crash of the last run left, renamed so it is told once.

    None when the last run ended without one (the file is missing or empty).
    """
    path = native_crash_file()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        return fsutil.move_aside(path, "seen")
    except OSError as error:
        log.warning("could not read the native crash file %s: %s", path, error)
        return None


def details(
    kind: type[BaseException] | None,
    value: BaseException | None,
    tb: TracebackType | None,
    where: str = "",
) -> str:
    text = "".join(traceback.format_exception(kind, value, tb)) if kind else str(value)
    return f"{where}\n{text}" if where else text


class CrashGuard:
    """Owns sys.excepthook, threading.excepthook and faulthandler while installed.

    ``reporter(details)`` is called for every uncaught error after it is logged; it may be
    called on any thread (a Qt signal's emit is the usual reporter).
    """

    def __init__(self, reporter: Reporter | None = None, fault_file: Path | None = None) -> None:
        self.reporter = reporter
        self.fault_file = fault_file
        self._handle: IO[Any] | None = None
        self._old_hook: Any = None
        self._old_thread_hook: Any = None
        self._old_fault_enabled = False
        self.installed = False

    def install(self) -> CrashGuard:
        if self.installed:
            return self
        self._old_hook = sys.excepthook
        self._old_thread_hook = threading.excepthook
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception
        self._old_fault_enabled = faulthandler.is_enabled()
        target = self.fault_file or native_crash_file()
        try:
            # Kept open for the life of the app: a native crash can no longer open a file.
            self._handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(self._handle, all_threads=True)
        except OSError as error:
            log.warning("native crashes will not be recorded (%s): %s", target, error)
            self._handle = None
        self.installed = True
        return self

    def uninstall(self) -> None:
        """Put the previous hooks back; an empty faulthandler file (no crash) is removed."""
        if not self.installed:
            return
        self.installed = False
        sys.excepthook = self._old_hook
        threading.excepthook = self._old_thread_hook
        if self._handle is not None:
            faulthandler.disable()
            name = Path(self._handle.name)
            self._handle.close()
            self._handle = None
            try:
                if name.stat().st_size == 0:
                    name.unlink()
            except OSError:
                pass
            if self._old_fault_enabled:
                faulthandler.enable(sys.__stderr__ or sys.stderr)

    # -- the hooks -------------------------------------------------------------------------
    def _on_exception(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            self._old_hook(kind, value, tb)
            return
        self._report(details(kind, value, tb))

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self._report(details(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}"))

    def _report(self, text: str) -> None:
        log.error("uncaught error:\n%s", text)
        if self.reporter is None:
            return
        try:
            self.reporter(text)
        except Exception:  # the report itself failed: the log has the error already
            log.exception("could not report the uncaught error")
