"""File errors in commands become one sentence on stderr and exit code 1, never a traceback."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable

from desktop_chat import settings
from desktop_chat.fsutil import is_disk_full, os_error_reason
from desktop_chat.settings import Settings

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace], int]


def file_error(
    command: str, exc: OSError, what: str = "A file could not be read or written"
) -> int:
    """Print "WHAT (reason). How to go on." for ``desktop-chat COMMAND``; returns 1."""
    log.info("desktop-chat %s: %s", command, exc, exc_info=exc)
    sentence = f"{what} ({os_error_reason(exc)}). {_hint(exc)}"
    print(f"desktop-chat {command}: error: {sentence}", file=sys.stderr)
    return 1


def _hint(exc: OSError) -> str:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError)):
        return "Check the path and try again."
    if is_disk_full(exc):
        return "Free some disk space and try again."
    return "Check the folder's permissions and free disk space, then try again."


def guard(command: str, func: Command) -> Command:
    """The safety net for a subcommand: an OSError that nothing nearer caught is a sentence."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except OSError as exc:
            return file_error(command, exc)

    return run


def load_settings(prefix: str) -> Settings:
    """The stored settings, or the defaults when the settings folder cannot even be made."""
    try:
        result = settings.load()
    except OSError as exc:  # a read-only or full home: there is no file to read either
        print(
            f"{prefix}: the settings folder cannot be used ({os_error_reason(exc)}); "
            "default settings are used.",
            file=sys.stderr,
        )
        return Settings()
    for warning in result.warnings:
        print(f"{prefix}: {warning}", file=sys.stderr)
    return result.settings
