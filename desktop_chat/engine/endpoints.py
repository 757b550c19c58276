"""Remote engine endpoints: their JSON file, presets, API keys (keyring or this session only)."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from desktop_chat import paths
from desktop_chat.fsutil import atomic_write_text, load_json_bounded, move_aside

log = logging.getLogger(__name__)

FILE_NAME = "endpoints.json"
KEYRING_SERVICE = "desktop-chat"
REMOTE_PREFIX = "remote:"


class Preset(StrEnum):
    LLAMA_SERVER = "llama-server"
    VLLM = "vllm"
    OLLAMA = "ollama"
    LM_STUDIO = "lm-studio"
    CLOUD = "openai-compatible"


# The base URL each preset starts from (the user edits it), and a label in plain English the
# UI translates.
PRESET_URLS: dict[Preset, str] = {
    Preset.LLAMA_SERVER: "http://127.0.0.1:8080/v1",
    Preset.VLLM: "http://127.0.0.1:8000/v1",
    Preset.OLLAMA: "http://127.0.0.1:11434/v1",
    Preset.LM_STUDIO: "http://127.0.0.1:1234/v1",
    Preset.CLOUD: "https://api.openai.com/v1",
}
PRESET_LABELS: dict[Preset, str] = {
    Preset.LLAMA_SERVER: "llama.cpp llama-server",
    Preset.VLLM: "vLLM",
    Preset.OLLAMA: "Ollama (/v1)",
    Preset.LM_STUDIO: "LM Studio",
    Preset.CLOUD: "OpenAI-compatible cloud API",
}


class EndpointError(Exception):
    """An endpoint the store refused (bad name or URL, a duplicate); str() is a sentence."""


class KeyStorage(StrEnum):
    KEYRING = "keyring"  # the system keyring; session memory when no keyring works
    SESSION = "session"  # never written anywhere: asked again after a restart
    NONE = "none"  # the server needs no key


@dataclass(frozen=True)
class Endpoint:
    name: str
    base_url: str
    preset: Preset = Preset.CLOUD
    context_size: int = 0  # 0: ask the server, else the remote section's default
    timeout_s: float = 0.0  # 0: the remote section's stall timeout
    key_storage: KeyStorage = KeyStorage.KEYRING

    @property
    def root_url(self) -> str:
        """The server's root (no /v1): llama-server's /props and Ollama's /api live there."""
        return self.base_url.removesuffix("/v1")


def normalize_url(url: str) -> str:
    """``host:8080`` -> ``http://host:8080/v1``; a URL with its own path keeps it."""
    text = url.strip()
    if not text:
        raise EndpointError("Give the server's address, for example http://127.0.0.1:8080/v1.")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"“{url}” is not an http:// or https:// address; "
            "give one like http://127.0.0.1:8080/v1."
        )
    path = parts.path.rstrip("/") or "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_name(name: str) -> str:
    clean = name.strip()
    if not clean or "/" in clean or len(clean) > 64:
        raise EndpointError("An endpoint's name needs 1 to 64 characters and no “/”.")
    return clean


def endpoints_file() -> Path:
    return paths.config_dir() / FILE_NAME


def _from_record(item: object) -> Endpoint | None:
    if not isinstance(item, dict):
        return None
    try:
        return Endpoint(
            name=check_name(str(item["name"])),
            base_url=normalize_url(str(item["base_url"])),
            preset=Preset(item.get("preset", Preset.CLOUD)),
            context_size=max(0, int(item.get("context_size", 0))),
            timeout_s=max(0.0, float(item.get("timeout_s", 0.0))),
            key_storage=KeyStorage(item.get("key_storage", KeyStorage.KEYRING)),
        )
    except (KeyError, ValueError, TypeError, EndpointError) as exc:
        log.warning("skipped an unreadable endpoint record (%s)", exc)
        return None


def load() -> list[Endpoint]:
    """Every saved endpoint; an unreadable file is moved aside (and logged), never fatal."""
    path = endpoints_file()
    if not path.exists():
        return []
    try:
        data = load_json_bounded(path.read_text(encoding="utf-8"), max_depth=8)
        items = data["endpoints"]  # type: ignore[index]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable endpoints file %s (%s); moved aside", path, exc)
        try:
            move_aside(path)
        except OSError as error:
            log.warning("could not move %s aside: %s", path, error)
        return []
    found = [e for e in (_from_record(i) for i in items) if e is not None]
    return list({e.name.lower(): e for e in found}.values())


def save(items: list[Endpoint]) -> None:
    records = [asdict(e) for e in items]
    text = json.dumps({"version": 1, "endpoints": records}, indent=1, ensure_ascii=False)
    atomic_write_text(endpoints_file(), text + "\n")


def get(name: str) -> Endpoint | None:
    wanted = name.strip().lower()
    return next((e for e in load() if e.name.lower() == wanted), None)


def add(endpoint: Endpoint, *, replace_existing: bool = False) -> Endpoint:
    """Store an endpoint (name and URL checked); the same name again replaces it if asked."""
    clean = replace(
        endpoint, name=check_name(endpoint.name), base_url=normalize_url(endpoint.base_url)
    )
    items = load()
    same = [e for e in items if e.name.lower() == clean.name.lower()]
    if same and not replace_existing:
        raise EndpointError(f"An endpoint named “{clean.name}” exists already.")
    save([e for e in items if e not in same] + [clean])
    return clean


def remove(name: str) -> bool:
    items = load()
    kept = [e for e in items if e.name.lower() != name.strip().lower()]
    if len(kept) == len(items):
        return False
    save(kept)
    forget_key(name)
    return True


# -- API keys ------------------------------------------------------------------------------
# Keyed by the settings folder too: another DESKTOP_CHAT_HOME is another set of endpoints.
_session_keys: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


def _session_slot(name: str) -> tuple[str, str]:
    return (str(paths.config_dir()), name.strip().lower())


def _keyring_usable() -> bool:
    """False when only keyring's fail or null backend is there (a headless machine)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install must not stop the chat
        log.info("no usable keyring: %s", exc)
        return False
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
        return False
    return getattr(backend, "priority", 1) > 0


def keyring_available() -> bool:
    return _keyring_usable()


def set_key(name: str, key: str, storage: KeyStorage) -> str:
    """Keep an endpoint's key; returns where it went: "keyring", "session" or "none".

    A keyring that fails (or none at all) keeps the key for this session only; the caller says
    so to the user.
    """
    slot = name.strip().lower()
    with _lock:
        _session_keys.pop(_session_slot(name), None)
    if not key:
        forget_key(name)
        return "none"
    if storage == KeyStorage.KEYRING and _keyring_usable():
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, slot, key)
            return "keyring"
        except Exception as exc:
            log.warning("the keyring refused the key for %s: %s", name, exc)
    with _lock:
        _session_keys[_session_slot(name)] = key
    return "session"


def get_key(name: str) -> str:
    slot = name.strip().lower()
    with _lock:
        if _session_slot(name) in _session_keys:
            return _session_keys[_session_slot(name)]
    if not _keyring_usable():
        return ""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, slot) or ""
    except Exception as exc:
        log.warning("could not read the key for %s from the keyring: %s", name, exc)
        return ""


def forget_key(name: str) -> None:
    slot = name.strip().lower()
    with _lock:
        _session_keys.pop(_session_slot(name), None)
    if _keyring_usable():
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, slot)
        except Exception:  # PasswordDeleteError: there was none
            pass


def remote_id(endpoint: str, model: str) -> str:
    """How a conversation records a remote model: ``remote:<endpoint>/<model>``."""
    return f"{REMOTE_PREFIX}{endpoint}/{model}"


def parse_remote_id(value: str | None) -> tuple[str, str] | None:
    """(endpoint, model) from ``remote:<endpoint>/<model>``; None for anything else."""
    if not value or not value.startswith(REMOTE_PREFIX):
        return None
    endpoint, slash, model = value[len(REMOTE_PREFIX) :].partition("/")
    return (endpoint, model) if slash and endpoint and model else None
