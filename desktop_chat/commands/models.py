"""`desktop-chat models …`: list, search, files, download, import, delete and check models."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from desktop_chat import paths
from desktop_chat.commands.errors import file_error, guard
from desktop_chat.models import hub, library
from desktop_chat.models.download import (
    DownloadError,
    Outcome,
    Progress,
    ProgressCallback,
    download_file,
    safe_target,
)
from desktop_chat.models.gguf_info import GGUFInfo, InvalidModelFile, read_gguf_info


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("models", help="manage local and downloadable models")
    parser.set_defaults(func=lambda args: _usage(parser))
    sub = parser.add_subparsers(dest="models_command")

    sub.add_parser("list", help="list local models").set_defaults(func=guard("models", cmd_list))

    p = sub.add_parser("search", help="search GGUF models on the Hub")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=guard("models", cmd_search))

    p = sub.add_parser("files", help="list a Hub repo's GGUF files")
    p.add_argument("repo")
    p.set_defaults(func=guard("models", cmd_files))

    p = sub.add_parser("download", help="download a GGUF file (resumes a .part)")
    p.add_argument("repo")
    p.add_argument("file")
    p.set_defaults(func=guard("models", cmd_download))

    p = sub.add_parser("import", help="add a GGUF file to the library")
    p.add_argument("path", type=Path)
    p.add_argument("--link", action="store_true", help="register in place instead of copying")
    p.set_defaults(func=guard("models", cmd_import))

    p = sub.add_parser("delete", help="delete (or unregister) a model")
    p.add_argument("name")
    p.set_defaults(func=guard("models", cmd_delete))

    p = sub.add_parser("check", help="validate a GGUF file and print its metadata")
    p.add_argument("path", type=Path)
    p.set_defaults(func=guard("models", cmd_check))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def cmd_list(args: argparse.Namespace) -> int:
    try:
        entries = library.scan()
    except OSError as exc:
        return file_error("models", exc, "The model library could not be read")
    if not entries:
        print("No models yet. Try: desktop-chat models search qwen")
        return 0
    for e in entries:
        if e.info is not None:
            detail = f"{e.info.quantization:8} {e.info.parameters_label:>6}  {_size(e.size):>9}"
        else:
            detail = f"INVALID  {e.error}"
        print(f"{e.display_name:40} [{e.source}] {detail}\n    {e.path}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    try:
        results = hub.search(args.text, limit=args.limit)
    except hub.HubError as exc:
        return _err(str(exc))
    if not results:
        print(f"No GGUF models match {args.text!r}.")
    for r in results:
        print(f"{r.repo_id:60} {r.downloads:>10,} downloads{'  (gated)' if r.gated else ''}")
    return 0


def cmd_files(args: argparse.Namespace) -> int:
    try:
        files = hub.list_gguf_files(args.repo)
    except hub.HubError as exc:
        return _err(str(exc))
    if not files:
        print(f"{args.repo} has no GGUF files.")
    for f in files:
        parts = f"  ({len(f.parts)} parts)" if f.is_split else ""
        print(f"{f.filename:60} {f.quant or '?':8} {_size(f.size):>9}{parts}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    try:
        files = hub.list_gguf_files(args.repo)
    except hub.HubError as exc:
        return _err(str(exc))
    match = next((f for f in files if args.file in (f.filename, Path(f.filename).name)), None)
    if match is None:
        return _err(f"{args.repo} has no GGUF file named {args.file}. See: models files REPO")
    stop = threading.Event()
    try:
        for part in match.parts:
            dest = safe_target(paths.models_dir(), part.path)
            url = hub.file_url(args.repo, part.path)
            show = _progress_printer(dest.name)
            outcome = download_file(
                url, dest, sha256=part.sha256, size=part.size, stop=stop,
                on_progress=show, token=hub.get_token(),
            )  # fmt: skip
            if outcome is not Outcome.COMPLETED:
                return _err("Download paused; run the same command again to resume.")
            print(file=sys.stderr)
    except KeyboardInterrupt:
        stop.set()
        return _err("\nDownload paused; run the same command again to resume.")
    except DownloadError as exc:
        return _err(f"\n{exc}")
    saved = safe_target(paths.models_dir(), match.filename)
    entry = library.entry_for(saved, library.Source.FOLDER)
    print(f"Saved {entry.path}")
    if entry.error:
        return _err(entry.error)
    return 0


def _progress_printer(name: str) -> ProgressCallback:
    tty = sys.stderr.isatty()

    def show(p: Progress) -> None:
        if not tty:
            return
        pct = f"{100 * p.done / p.total:5.1f}%" if p.total else "     "
        eta = f" ETA {int(p.eta) // 60}:{int(p.eta) % 60:02d}" if p.eta is not None else ""
        line = f"\r{name[:40]:40} {pct} {_size(p.done):>9} {_size(int(p.speed))}/s{eta}"
        sys.stderr.write(line.ljust(90))
        sys.stderr.flush()

    return show


def cmd_import(args: argparse.Namespace) -> int:
    try:
        entry = library.import_model(args.path, link=args.link)
    except (InvalidModelFile, library.LibraryError) as exc:
        return _err(str(exc))
    except OSError as exc:
        what = "The model could not be registered" if args.link else "The model could not be added"
        return file_error("models", exc, f"{what}, so the library is unchanged")
    verb = "Registered" if args.link else "Imported"
    print(f"{verb} {entry.display_name}: {entry.path}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    entry = library.find(args.name)
    if entry is None:
        return _err(f"No model named {args.name!r} in the library. See: desktop-chat models list")
    try:
        source = library.delete_model(entry.path)
    except library.LibraryError as exc:
        return _err(str(exc))
    except OSError as exc:
        return file_error("models", exc, f"{entry.path.name} could not be deleted")
    done = "Unregistered (the file was left in place)" if source == "registered" else "Deleted"
    print(f"{done}: {entry.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        info = read_gguf_info(args.path)
    except InvalidModelFile as exc:
        return _err(str(exc))
    for key, value in _describe(info):
        print(f"{key:18} {value}")
    return 0


def _describe(info: GGUFInfo) -> list[tuple[str, object]]:
    template = "yes" if info.chat_template else "none (a fallback format will be used)"
    return [
        ("name", info.name),
        ("architecture", info.architecture),
        ("parameters", f"{info.parameters_label} ({info.parameters:,})"),
        ("quantization", info.quantization),
        ("file size", f"{_size(info.file_size)} ({info.file_size:,} bytes)"),
        ("context length", info.context_length),
        ("layers", info.block_count),
        ("embedding length", info.embedding_length),
        ("heads / kv heads", f"{info.head_count} / {info.head_count_kv}"),
        ("chat template", template),
        ("bos / eos", f"{info.bos_token!r} / {info.eos_token!r}"),
        ("split parts", info.split_count),
        ("gguf version", info.gguf_version),
    ]
