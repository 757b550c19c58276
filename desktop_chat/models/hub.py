"""The Hugging Face Hub: search GGUF repos and list their files; the only huggingface_hub user."""

from __future__ import annotations

import http.client
import ipaddress
import logging
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from desktop_chat.models.gguf_info import SPLIT_RE

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 1.5
KEYRING_SERVICE = "desktop-chat"
KEYRING_USER = "huggingface-token"
_QUANT_RE = re.compile(
    r"(?:^|[-_.])((?:IQ|TQ|Q)\d(?:_[A-Z0-9]{1,3})*|BF16|FP16|F16|FP32|F32)(?=[-_.]|$)",
    re.IGNORECASE,
)

T = TypeVar("T")


class HubError(Exception):
    """A Hub request failed; str() is a sentence for the user."""


class HubOffline(HubError):
    pass


class HubNotFound(HubError):
    pass


class HubAuthRequired(HubError):
    pass


@dataclass(frozen=True)
class RepoSummary:
    repo_id: str
    downloads: int
    likes: int
    last_modified: str | None
    gated: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class HubFile:
    path: str
    size: int
    sha256: str | None  # the LFS object id; None for small files kept in git


@dataclass(frozen=True)
class HubModelFile:
    """One downloadable model: a single .gguf, or every shard of a split one."""

    repo_id: str
    filename: str  # the first shard for a split model
    quant: str | None
    size: int  # all shards together
    parts: tuple[HubFile, ...]

    @property
    def is_split(self) -> bool:
        return len(self.parts) > 1

    @property
    def sha256(self) -> str | None:
        return self.parts[0].sha256 if len(self.parts) == 1 else None


def endpoint() -> str:
    """HF_ENDPOINT as it is now (huggingface_hub itself only reads it once, at import)."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def file_url(repo_id: str, filename: str, revision: str = "main", base: str | None = None) -> str:
    quoted = urllib.parse.quote(filename, safe="/")
    rev = urllib.parse.quote(revision, safe="")
    return f"{base or endpoint()}/{repo_id}/resolve/{rev}/{quoted}"


def parse_quant(filename: str) -> str | None:
    """The quantization named in a file name (``Q4_K_M``, ``IQ4_XS``, ``F16`` …), or None."""
    name = filename.rsplit("/", 1)[-1]
    split = SPLIT_RE.match(name)
    if split:
        name = split["stem"] + ".gguf"
    matches = _QUANT_RE.findall(name.removesuffix(".gguf").removesuffix(".GGUF"))
    if not matches:
        return None
    quant = str(matches[-1]).upper()
    return {"FP16": "F16", "FP32": "F32"}.get(quant, quant)


def is_online(base: str | None = None, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when the endpoint answers HTTP within ``timeout`` seconds in total."""
    return probe_error(base, timeout) is None


def online_check() -> str | None:
    """The check the Models pane runs when the user opens Discover: None when the Hub can be
    used, else a reason for the log (offline by the environment, or the probe's failure)."""
    if _offline_by_env():
        return "HF_HUB_OFFLINE is set"
    return probe_error(timeout=PROBE_TIMEOUT_S)


def probe_error(base: str | None = None, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """None when the Hub answers; else why not, as a short technical reason for the log.

    Every step shares one deadline, name resolution included: the system resolver has no
    timeout of its own (a resolver that did not answer cost 10.8 s here).
    """
    url = urllib.parse.urlsplit(base or endpoint())
    host = url.hostname or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    deadline = time.monotonic() + timeout
    conn: http.client.HTTPConnection
    try:
        sock = _connect(host, port, deadline)
        if url.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            conn = http.client.HTTPSConnection(host, port, timeout=timeout)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    conn.sock = sock  # already connected within the deadline; http.client must not redo it
    try:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timed out"
        sock.settimeout(remaining)
        conn.request("HEAD", (url.path or "") + "/api/models?limit=1")
        conn.getresponse().read()
        return None  # any HTTP answer, even an error status, means the Hub is reachable
    except (OSError, http.client.HTTPException) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()


def _connect(host: str, port: int, deadline: float) -> socket.socket:
    """A TCP connection to ``host`` made before ``deadline`` (monotonic), resolution included."""
    addresses = resolve(host, port, deadline - time.monotonic())
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _name, address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(remaining)
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error


class _Lookup:
    """One getaddrinfo on its own daemon thread, so a caller can stop waiting for it.

    Not a task of the runner, by design: getaddrinfo cannot be cancelled, so exit would only
    wait out the resolver's own timeout for nothing; the thread holds no file or lock and
    ends when the resolver gives up. It runs only inside a probe, itself a task."""

    def __init__(self, key: tuple[str, int]) -> None:
        self.key = key
        self.done = threading.Event()
        self.result: list[Any] = []
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, name=f"hub-dns-{key[0]}", daemon=True)

    def _run(self) -> None:
        try:
            self.result = socket.getaddrinfo(*self.key, type=socket.SOCK_STREAM)
        except OSError as exc:
            self.error = exc
        finally:
            with _lookups_lock:
                if _lookups.get(self.key) is self:
                    del _lookups[self.key]
            self.done.set()


# A lookup the resolver never answers is abandoned, not killed (a thread cannot be); later
# probes wait on that same one instead of starting another, so "Try again" adds no threads.
_lookups: dict[tuple[str, int], _Lookup] = {}
_lookups_lock = threading.Lock()


def resolve(host: str, port: int, timeout: float) -> list[Any]:
    """``socket.getaddrinfo`` for a TCP connection, given up after ``timeout`` seconds."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # a literal address: nothing to look up, so nothing that can hang
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    key = (host, port)
    with _lookups_lock:
        lookup = _lookups.get(key)
        if lookup is None:
            lookup = _lookups[key] = _Lookup(key)
            lookup.thread.start()
    if not lookup.done.wait(max(0.0, timeout)):
        raise TimeoutError(f"the name {host} was not resolved within {timeout:.1f} s")
    if lookup.error is not None:
        raise lookup.error
    return lookup.result


def offline_message() -> str:
    return (
        f"Offline — local models only. The model hub ({endpoint()}) cannot be reached; "
        "check the internet connection and try again."
    )


def get_token() -> str | None:
    """HF_TOKEN from the environment, else the token saved in the system keyring (if any)."""
    token = os.environ.get("HF_TOKEN")
    if token:
        return token
    try:
        import keyring  # optional: without it the token is simply not remembered
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:  # keyring backends raise their own types; a missing token is fine
        log.warning("could not read the Hub token from the keyring", exc_info=True)
        return None


def save_token(token: str | None) -> bool:
    """Remember (or with None forget) the token in the keyring; False where none is available."""
    try:
        import keyring
    except ImportError:
        return False
    try:
        if token:
            keyring.set_password(KEYRING_SERVICE, KEYRING_USER, token)
        else:
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:
        log.warning("could not store the Hub token in the keyring", exc_info=True)
        return False
    return True


def _api(token: str | None) -> Any:
    from huggingface_hub import HfApi, constants

    # huggingface_hub freezes HF_HUB_OFFLINE at import; follow the environment as it is now.
    constants.HF_HUB_OFFLINE = _offline_by_env()
    return HfApi(endpoint=endpoint(), token=token or get_token() or False)


def _offline_by_env() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _call(action: Callable[[], T], repo_id: str | None = None) -> T:
    """Probe first (fast), then run ``action``, turning library errors into sentences."""
    if _offline_by_env():
        raise HubOffline(
            "Offline — local models only. Hub access is turned off (HF_HUB_OFFLINE is set)."
        )
    reason = probe_error()
    if reason is not None:
        log.info("hub probe failed: %s", reason)
        raise HubOffline(offline_message())
    from huggingface_hub import errors

    what = f"the repository {repo_id}" if repo_id else "the model hub"
    try:
        return action()
    except errors.GatedRepoError as exc:
        raise HubAuthRequired(
            f"{what[0].upper()}{what[1:]} is gated: accept its license on the Hub website and "
            "enter an access token in Settings."
        ) from exc
    except errors.RepositoryNotFoundError as exc:
        raise HubNotFound(f"There is no repository named {repo_id} on the model hub.") from exc
    except errors.RevisionNotFoundError as exc:
        raise HubNotFound(f"{what} has no such revision.") from exc
    except errors.HfHubHTTPError as exc:
        raise HubError(f"The model hub answered with an error for {what}: {exc}") from exc
    except (OSError, ValueError) as exc:
        log.info("hub request failed", exc_info=True)
        raise HubOffline(offline_message()) from exc
    except Exception as exc:  # httpx2 errors are not OSErrors; the UI needs a sentence
        if "httpx" in type(exc).__module__:
            raise HubOffline(offline_message()) from exc
        raise


def iter_search(text: str = "", token: str | None = None) -> Iterator[RepoSummary]:
    """GGUF repos matching ``text``, most downloaded first, fetched page by page."""
    api = _api(token)
    items = api.list_models(search=text or None, filter="gguf", sort="downloads")
    for item in items:
        yield RepoSummary(
            repo_id=item.id,
            downloads=int(item.downloads or 0),
            likes=int(item.likes or 0),
            last_modified=item.last_modified.isoformat() if item.last_modified else None,
            gated=bool(item.gated),
            tags=tuple(item.tags or ()),
        )


def search(
    text: str = "", limit: int = 20, offset: int = 0, token: str | None = None
) -> list[RepoSummary]:
    """One page of search results (probes first: raises HubOffline within ~1.5 s)."""
    return _call(lambda: list(islice(iter_search(text, token), offset, offset + limit)))


def list_gguf_files(
    repo_id: str, revision: str = "main", token: str | None = None
) -> list[HubModelFile]:
    """The repo's GGUF models with sizes, quantizations and sha256; split files grouped."""

    def fetch() -> list[HubFile]:
        files = []
        tree = _api(token).list_repo_tree(repo_id, recursive=True, expand=True, revision=revision)
        for entry in tree:
            path = getattr(entry, "path", "")
            if not path.lower().endswith(".gguf") or not hasattr(entry, "size"):
                continue
            lfs = getattr(entry, "lfs", None)
            files.append(HubFile(path, int(entry.size), getattr(lfs, "sha256", None)))
        return files

    return group_files(repo_id, _call(fetch, repo_id))


def group_files(repo_id: str, files: list[HubFile]) -> list[HubModelFile]:
    """Fold ``x-00001-of-00003.gguf`` shards into one entry, smallest models first."""
    singles: list[HubModelFile] = []
    groups: dict[tuple[str, str, int], list[HubFile]] = {}
    for f in files:
        folder, _, name = f.path.rpartition("/")
        match = SPLIT_RE.match(name)
        if match:
            groups.setdefault((folder, match["stem"], int(match["count"])), []).append(f)
        else:
            singles.append(HubModelFile(repo_id, f.path, parse_quant(f.path), f.size, (f,)))
    for (_folder, _stem, _count), parts in groups.items():
        parts.sort(key=lambda p: p.path)
        first = parts[0].path
        total = sum(p.size for p in parts)
        singles.append(HubModelFile(repo_id, first, parse_quant(first), total, tuple(parts)))
    return sorted(singles, key=lambda m: (m.size, m.filename))


def model_summary(repo_id: str, token: str | None = None) -> RepoSummary:
    """One repo's downloads, likes and gating, as ``model_info`` reports them."""

    def fetch() -> RepoSummary:
        info = _api(token).model_info(repo_id)
        return RepoSummary(
            repo_id=info.id,
            downloads=int(info.downloads or 0),
            likes=int(info.likes or 0),
            last_modified=info.last_modified.isoformat() if info.last_modified else None,
            gated=bool(info.gated),
            tags=tuple(info.tags or ()),
        )

    return _call(fetch, repo_id)
