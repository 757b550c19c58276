"""One resumable, verified HTTP download: Range requests into NAME.part, sha256, then rename."""

from __future__ import annotations

import hashlib
import http.client
import logging
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from desktop_chat.fsutil import is_disk_full

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
READ_TIMEOUT_S = 30.0
MAX_RETRIES = 8
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 60.0
FREE_SPACE_MARGIN = 64 * 1024 * 1024
PROGRESS_INTERVAL_S = 0.25
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f<>:"|?*\\]')


class DownloadError(Exception):
    """A download failed; str() is a sentence for the user."""


class UnsafeFileName(DownloadError):
    pass


class DiskFull(DownloadError):
    pass


class HashMismatch(DownloadError):
    pass


class Outcome(StrEnum):
    COMPLETED = "completed"
    STOPPED = "stopped"  # the stop event was set: the .part is kept for a later resume


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    speed: float  # bytes per second, smoothed
    eta: float | None  # seconds, None while unknown


ProgressCallback = Callable[[Progress], None]


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def safe_target(folder: Path, filename: str) -> Path:
    """``folder/<basename>`` for a file name from the network; UnsafeFileName if it is hostile.

    Sub-folders in Hub paths (``Q4_K_M/x.gguf``) are dropped: shards of one model share a
    folder upstream, so they still end up side by side.
    """
    problem = _name_problem(filename)
    if problem:
        raise UnsafeFileName(
            f"The download was refused because its file name {filename!r} {problem}."
        )
    name = PurePosixPath(filename).name
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise UnsafeFileName(
            f"The download was refused because {filename!r} would be saved outside the "
            "models folder."
        )
    return target


def _name_problem(filename: str) -> str | None:
    if not filename or not filename.strip():
        return "is empty"
    if filename.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", filename):
        return "is an absolute path"
    parts = re.split(r"[\\/]", filename)
    if any(part in ("..", ".") for part in parts):
        return "tries to leave the models folder"
    if _BAD_NAME_CHARS.search(filename.replace("/", "")):
        return "contains characters that are not allowed in file names"
    name = parts[-1]
    if not name or name.startswith(".") or name.endswith(".part"):
        return "is not a usable file name"
    return None


class _StripAuthOnRedirect(urllib.request.HTTPRedirectHandler):
    """Keep the Hub token away from the CDN host a resolve URL redirects to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            old_host = urllib.parse.urlsplit(req.full_url).netloc
            if urllib.parse.urlsplit(newurl).netloc != old_host:
                new.remove_header("Authorization")
        return new


_opener = urllib.request.build_opener(_StripAuthOnRedirect)


class _Retry(Exception):
    """A transient failure: try again from the last byte written.

    ``done`` is how many bytes the .part holds now, when the failure came after some of this
    response's bytes were written: the retry must ask for the bytes after those.
    """

    def __init__(self, reason: str, done: int | None = None) -> None:
        super().__init__(reason)
        self.done = done


class _Restart(Exception):
    """The server ignored our Range: start the file over."""


@dataclass
class _Meter:
    started: float
    start_bytes: int
    last_emit: float = 0.0
    speed: float = 0.0

    def progress(self, done: int, total: int | None) -> Progress:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.speed = (done - self.start_bytes) / elapsed
        eta = (total - done) / self.speed if total and self.speed > 0 else None
        return Progress(done, total, self.speed, eta)


def download_file(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    stop: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
    token: str | None = None,
    read_timeout: float = READ_TIMEOUT_S,
    max_retries: int = MAX_RETRIES,
    backoff_base: float = BACKOFF_BASE_S,
) -> Outcome:
    """Download ``url`` to ``dest`` through ``dest.part``, resuming whatever is already there.

    Blocks; run it on a worker thread. ``on_progress`` is called on this same thread. Returns
    STOPPED when ``stop`` is set (the .part stays), COMPLETED once the verified file is at
    ``dest``. Raises DownloadError subclasses with a user sentence: DiskFull (part kept),
    HashMismatch (part deleted), or a plain DownloadError after retries run out.
    """
    stop = stop or threading.Event()
    part = part_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if _already_there(dest, part, size, sha256, stop):
        return Outcome.COMPLETED
    hasher, done = _resume_state(part, size, stop)
    if hasher is None:
        return Outcome.STOPPED
    _check_free_space(dest.parent, (size - done) if size else 0)
    attempt = restarts = 0
    total = size
    meter = _Meter(time.monotonic(), done)
    while True:
        if stop.is_set():
            return Outcome.STOPPED
        before = done
        try:
            done, total = _fetch(url, part, done, total, hasher, stop, on_progress, meter, token,
                                 read_timeout)  # fmt: skip
            if total is None or done >= total:
                break
            raise _Retry("connection closed early")
        except _Restart as exc:
            restarts += 1
            if restarts > max_retries:  # a server that never sends the listed file
                part.unlink(missing_ok=True)
                raise DownloadError(
                    f"The server keeps sending something other than the listed {dest.name}. "
                    "Refresh the file list and try again later."
                ) from exc
            log.info("server answer for %s did not fit what we hold; starting over", url)
            hasher, done = hashlib.sha256(), 0
            part.unlink(missing_ok=True)
            continue
        except _Retry as exc:
            if exc.done is not None:
                done = exc.done
            attempt = 0 if done > before else attempt + 1
            if attempt > max_retries:
                raise DownloadError(
                    f"The download of {dest.name} kept failing ({exc}). It is paused with "
                    f"{done:,} bytes kept; try again later."
                ) from exc
            delay = min(backoff_base * 2 ** max(attempt - 1, 0), BACKOFF_MAX_S)
            log.info("download %s: %s; retry %d in %.1fs", dest.name, exc, attempt, delay)
            if stop.wait(delay):
                return Outcome.STOPPED
    if stop.is_set() and total is not None and done < total:
        return Outcome.STOPPED
    _finish(part, dest, hasher.hexdigest(), sha256, total, done)
    if on_progress is not None:
        on_progress(meter.progress(done, total))
    return Outcome.COMPLETED


def _already_there(
    dest: Path, part: Path, size: int | None, sha256: str | None, stop: threading.Event
) -> bool:
    if not dest.is_file() or part.exists():
        return False
    if size is not None and dest.stat().st_size != size:
        return False
    return sha256 is None or _file_sha256(dest, stop) == sha256.lower()


def _resume_state(
    part: Path, size: int | None, stop: threading.Event
) -> tuple[hashlib._Hash | None, int]:
    hasher = hashlib.sha256()
    if not part.exists():
        return hasher, 0
    if size is not None and part.stat().st_size > size:
        log.warning("%s is larger than the file it belongs to; starting over", part)
        part.unlink()
        return hasher, 0
    done, length = 0, part.stat().st_size
    with part.open("rb") as handle:
        while done < length and (chunk := handle.read(min(CHUNK, length - done))):
            if stop.is_set():
                return None, done
            hasher.update(chunk)
            done += len(chunk)
    return hasher, done


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed and free < needed + FREE_SPACE_MARGIN:
        raise DiskFull(
            f"Not enough free disk space: the download needs {_gb(needed)} and "
            f"{_gb(free)} are free in {folder}. Free some space and try again."
        )


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def _fetch(
    url: str,
    part: Path,
    done: int,
    total: int | None,
    hasher: hashlib._Hash,
    stop: threading.Event,
    on_progress: ProgressCallback | None,
    meter: _Meter,
    token: str | None,
    read_timeout: float,
) -> tuple[int, int | None]:
    request = urllib.request.Request(url, headers={"User-Agent": "desktop-chat"})
    if done:
        request.add_header("Range", f"bytes={done}-")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        response = _opener.open(request, timeout=read_timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and total is not None and done >= total:
            return done, total
        if exc.code == 416:
            raise _Restart from exc
        if exc.code in (401, 403):
            raise DownloadError(
                "The server refused the download: this model needs an access token with its "
                "license accepted. Add a Hugging Face token in Settings."
            ) from exc
        if exc.code == 404:
            raise DownloadError(
                "The file is not on the server any more (404). Refresh the file list."
            ) from exc
        if exc.code == 429 or exc.code >= 500:
            raise _Retry(f"server error {exc.code}") from exc
        raise DownloadError(f"The server refused the download (HTTP {exc.code}).") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _Retry(str(exc) or type(exc).__name__) from exc
    with response:
        if done and response.status == 200:
            raise _Restart
        total = _total_from(response, done, total)
        try:
            with part.open("ab") as out:
                while not stop.is_set():
                    try:
                        chunk = response.read(CHUNK // 4)
                    except (OSError, http.client.HTTPException) as exc:
                        raise _Retry(str(exc) or type(exc).__name__, done) from exc
                    if not chunk:
                        break
                    out.write(chunk)
                    hasher.update(chunk)
                    done += len(chunk)
                    now = time.monotonic()
                    if on_progress is not None and now - meter.last_emit >= PROGRESS_INTERVAL_S:
                        meter.last_emit = now
                        on_progress(meter.progress(done, total))
                    if total is not None and done > total:
                        raise _Restart
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(
                    f"The disk is full. {done:,} bytes of {part.name.removesuffix('.part')} are "
                    "kept; free some space and resume the download."
                ) from exc
            raise
    return done, total


def _total_from(response: http.client.HTTPResponse, done: int, known: int | None) -> int | None:
    """The file's full size: the one the Hub listed when known (a response that claims less
    is a short answer to resume after, one that claims more is caught by the size check),
    else what this response says."""
    content_range = response.headers.get("Content-Range", "")
    match = re.match(r"bytes (\d+)-\d+/(\d+)", content_range)
    if match and int(match[1]) != done:
        raise _Restart
    if known is not None:
        return known
    if match:
        return int(match[2])
    length = response.headers.get("Content-Length")
    if length and length.isdigit():
        return done + int(length)
    return None


def _finish(
    part: Path, dest: Path, actual: str, expected: str | None, total: int | None, done: int
) -> None:
    if total is not None and done != total:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"The download of {dest.name} ended at {done:,} bytes instead of {total:,}. "
            "Download it again."
        )
    if expected is not None and actual != expected.lower():
        part.unlink(missing_ok=True)
        raise HashMismatch(
            f"The downloaded file {dest.name} is damaged: its checksum does not match the one "
            "published for it, so it was deleted. Download it again."
        )
    part.replace(dest)


def _file_sha256(path: Path, stop: threading.Event) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while (chunk := handle.read(CHUNK)) and not stop.is_set():
            hasher.update(chunk)
    return hasher.hexdigest()
