"""The `config` subcommand: read, change and locate settings without the GUI."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop_chat import paths, settings
from desktop_chat.commands.errors import file_error, guard, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config",
        help="show or change settings",
        description="Show or change settings. KEY is section.name, e.g. generation.temperature.",
    )
    commands = parser.add_subparsers(dest="config_command", metavar="COMMAND", required=True)

    get = commands.add_parser("get", help="print one setting")
    get.add_argument("key", metavar="KEY")
    get.add_argument("--model", metavar="FILE", help="the value that applies to this model")
    get.set_defaults(func=guard("config", _get))

    set_ = commands.add_parser("set", help="change one setting")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument(
        "value", metavar="VALUE", help="true/false for switches; lists as JSON or a,b"
    )
    set_.add_argument("--model", metavar="FILE", help="set it for this model file only")
    set_.set_defaults(func=guard("config", _set))

    reset = commands.add_parser("reset", help="put one setting back to its default")
    reset.add_argument("key", metavar="KEY")
    reset.add_argument("--model", metavar="FILE", help="remove this model's override instead")
    reset.set_defaults(func=guard("config", _reset))

    path = commands.add_parser("path", help="print where the settings file is")
    path.set_defaults(func=guard("config", _path))

    list_ = commands.add_parser("list", help="print every setting and its value")
    list_.add_argument("--model", metavar="FILE", help="the values that apply to this model")
    list_.set_defaults(func=guard("config", _list))


def _load() -> settings.Settings:
    return load_settings("warning")


def _fail(message: str) -> int:
    print(f"desktop-chat config: error: {message}", file=sys.stderr)
    return 2


def _save(changed: settings.Settings) -> int:
    try:
        settings.save(changed)
    except OSError as exc:
        return file_error("config", exc, "The settings could not be saved, so nothing changed")
    return 0


def _model_key(args: argparse.Namespace) -> str | None:
    return settings.model_key_for(args.model) if args.model else None


def _get(args: argparse.Namespace) -> int:
    current = settings.effective(_load(), _model_key(args))
    try:
        value = settings.get_value(current, args.key)
    except settings.SettingsError as exc:
        return _fail(str(exc))
    print(settings.format_value(settings.FIELDS[args.key], value))
    return 0


def _set(args: argparse.Namespace) -> int:
    current = _load()
    model = _model_key(args)
    try:
        if model:
            changed = settings.with_model_override(current, model, args.key, args.value)
        else:
            changed = settings.with_value(current, args.key, args.value)
    except settings.SettingsError as exc:
        return _fail(str(exc))
    return _save(changed)


def _reset(args: argparse.Namespace) -> int:
    current = _load()
    model = _model_key(args)
    try:
        if model:
            changed = settings.without_model_override(current, model, args.key)
        else:
            default = settings.FIELDS[args.key].default if args.key in settings.FIELDS else None
            changed = settings.with_value(current, args.key, default)
    except settings.SettingsError as exc:
        return _fail(str(exc))
    return _save(changed)


def _path(args: argparse.Namespace) -> int:
    print(paths.settings_file())
    return 0


def _list(args: argparse.Namespace) -> int:
    stored = _load()
    model = _model_key(args)
    current = settings.effective(stored, model)
    overridden = settings.model_overrides(stored, model) if model else {}
    for key, field in settings.FIELDS.items():
        value: Any = settings.get_value(current, key)
        # One line per key even for multi-line text such as a custom template.
        if field.type is str:
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = settings.format_value(field, value)
        line = f"{key} = {text}"
        print(line + ("  # model override" if key in overridden else ""))
    return 0
