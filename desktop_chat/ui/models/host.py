"""What the Models tabs may ask of the pane that holds them (breaks the pane <-> tab import cycle)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from desktop_chat.tasks import TaskRunner


class ModelsHost(Protocol):
    """The pane's shared services: task runner, download adapter, banner and dialogs.

    The tabs are views; asking the user, showing a sentence and running background work are
    the pane's, so a tab reaches them through this narrow face instead of importing the pane."""

    runner: TaskRunner
    adapter: Any
    banner: Any

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_import_mode(self, count: int) -> str | None: ...

    def choose_import_files(self) -> list[Path]: ...

    def open_url(self, url: str) -> None: ...

    def set_online(self, online: bool) -> None: ...
