"""ServerControl: starts, restarts and stops the app's API server as its settings change."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import GenParams
from desktop_chat.server.config import ServerConfig, ServerConfigError
from desktop_chat.server.service import ApiServer
from desktop_chat.settings import Settings

log = logging.getLogger(__name__)


class ServerControl(QObject):
    """The window's view of the API: running, where, who can reach it, how busy, what failed."""

    changed = Signal()

    def __init__(
        self,
        client: EngineClient,
        defaults: Callable[[], GenParams],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.server = ApiServer(client, defaults, self)
        self.server.failed.connect(self._on_failed)
        self.server.running_changed.connect(self._on_running)
        client.outside_requests_changed.connect(self._on_serving)
        self.error = ""
        self.serving = 0
        self._wanted: ServerConfig | None = None

    @property
    def running(self) -> bool:
        return self.server.running

    @property
    def url(self) -> str:
        return self.server.base_url if self.running else ""

    @property
    def address(self) -> str:
        """Where it listens, as host:port (0.0.0.0:8080 for every interface)."""
        config = self.server.config
        return f"{config.host}:{self.server.port}" if self.running and config else ""

    @property
    def public(self) -> bool:
        """Reachable from other machines right now (the banner says so)."""
        return self.running and self.server.config is not None and self.server.config.public

    def apply(self, settings: Settings) -> None:
        """Match the server to ``settings.server``: start, restart on a change, or stop."""
        config = ServerConfig.from_settings(settings) if settings.server.enabled else None
        if config == self._wanted and (config is None or self.running or self.error):
            return
        self._wanted = config
        self.error = ""
        if config is None:
            self.server.stop()
        else:
            try:
                self.server.start(config)
            except ServerConfigError as error:
                log.warning("API server not started: %s", error)
                self.error = str(error)
        self.changed.emit()

    def shutdown(self) -> None:
        self.server.shutdown()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.error = message
        self.changed.emit()

    @Slot(bool)
    def _on_running(self, _running: bool) -> None:
        self.changed.emit()

    @Slot(int)
    def _on_serving(self, count: int) -> None:
        self.serving = count
        self.changed.emit()
