"""One argument parser: the GUI by default, subcommands for headless use and checks."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_chat import __version__

# Each module adds its own subcommands with register(subparsers) and sets func.
COMMAND_MODULES = (
    "desktop_chat.commands.chat",
    "desktop_chat.commands.bench",
    "desktop_chat.commands.models",
    "desktop_chat.commands.history",
    "desktop_chat.commands.config",
    "desktop_chat.commands.kb",
    "desktop_chat.commands.serve",
    "desktop_chat.commands.engines",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-chat",
        description="A private, offline chat assistant. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"desktop-chat {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window offscreen, chat with the starter model, print one JSON line",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # a command module not written yet
        module.register(subparsers)
    return parser


# A launch with only files (a double-click, the .desktop entry's %F) opens them in the window.
OPEN_SUFFIXES = (".gguf", ".json")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and all(a.lower().endswith(OPEN_SUFFIXES) for a in arguments):
        return open_window(arguments)
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop_chat.selftest import run_self_test

        return run_self_test()
    func = getattr(args, "func", None)
    if func is not None:
        try:
            return int(func(args) or 0)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
    return open_window([])


def open_window(files: list[str]) -> int:
    """The window, or (one already runs on this data folder) hand it ``files`` and exit 0."""
    from desktop_chat.ui.shell.single_instance import hand_off

    if hand_off(files):
        return 0
    from desktop_chat.app import run_gui

    return run_gui(open_files=files)


if __name__ == "__main__":
    sys.exit(main())
