"""What the chat can talk to: local GGUF files and remote endpoints' models, side by side."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from desktop_chat.engine import endpoints, remote_http, remote_models
from desktop_chat.engine.remote_errors import RemoteError
from desktop_chat.engine.worker import display_name
from desktop_chat.models import library
from desktop_chat.models.library import ModelEntry
from desktop_chat.settings.schema import RemoteSettings

log = logging.getLogger(__name__)

LOCAL_PREFIX = "local:"


@dataclass(frozen=True)
class ModelChoice:
    """One entry of a model picker. ``id`` is stable: ``local:<path>`` or
    ``remote:<endpoint>/<model>`` (the latter is also what a remote conversation records)."""

    id: str
    display_name: str
    kind: Literal["local", "remote"]
    path: Path | None = None
    endpoint: str | None = None
    model: str | None = None

    @property
    def remote(self) -> bool:
        return self.kind == "remote"


def local_choice(path: Path) -> ModelChoice:
    return ModelChoice(f"{LOCAL_PREFIX}{path}", display_name(path), "local", path=path)


def remote_choice(endpoint: str, model: str) -> ModelChoice:
    return ModelChoice(
        endpoints.remote_id(endpoint, model),
        f"{model} · {endpoint}",
        "remote",
        endpoint=endpoint,
        model=model,
    )


def local_choices(entries: list[ModelEntry] | None = None) -> list[ModelChoice]:
    """Usable local models. Without ``entries`` this scans the library, which reads GGUF
    headers: the first call belongs off the GUI thread (the task runner)."""
    found = library.scan() if entries is None else entries
    return [local_choice(e.path) for e in found if e.ok]


def remote_choices() -> list[ModelChoice]:
    """Every saved endpoint's models from the cached lists (no network; refresh them with
    ``engine.remote_http.refresh_models`` on the task runner)."""
    choices = []
    for endpoint in endpoints.load():
        for model in remote_models.cached(endpoint.name):
            choices.append(remote_choice(endpoint.name, model.id))
    return choices


def list_choices(
    entries: list[ModelEntry] | None = None, *, include_remote: bool = True
) -> list[ModelChoice]:
    """Local models first, then remote ones, each group in its stored order."""
    return local_choices(entries) + (remote_choices() if include_remote else [])


def choice_for(choice_id: str) -> ModelChoice | None:
    """The choice an id names (a remote one need not be in the cache), or None."""
    parsed = endpoints.parse_remote_id(choice_id)
    if parsed is not None:
        return remote_choice(*parsed)
    if choice_id.startswith(LOCAL_PREFIX):
        return local_choice(Path(choice_id[len(LOCAL_PREFIX) :]))
    return None


def refresh_remote(
    remote: RemoteSettings | None = None, cancelled: Callable[[], bool] = lambda: False
) -> dict[str, str]:
    """Fetch every endpoint's model list into the cache, blocking: run it on the task runner
    (``lambda context: refresh_remote(settings.remote, context.cancelled)``), then read
    ``list_choices``. Returns {endpoint: sentence} for those that could not be reached."""
    from desktop_chat.engine.remote import timeouts_for

    remote = remote or RemoteSettings()
    failures: dict[str, str] = {}
    for endpoint in endpoints.load():
        if cancelled():
            break
        try:
            remote_http.refresh_models(
                endpoint, endpoints.get_key(endpoint.name), timeouts_for(endpoint, remote)
            )
        except RemoteError as error:
            log.info("could not list the models of %s: %s", endpoint.name, error)
            failures[endpoint.name] = str(error)
    return failures
