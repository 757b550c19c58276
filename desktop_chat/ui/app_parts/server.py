"""The API server's state told in the window: Settings → Server's status line and the banner that
says it is reachable from other machines, busy with requests, or failed to start."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from desktop_chat.server.control import ServerControl
from desktop_chat.ui.settings.server_page import ServerPage
from desktop_chat.ui.shell.banner import Banner


class ApiStatus(QObject):
    """Follows ``api.changed`` (and the chat's busy state, which decides who waits)."""

    def __init__(
        self,
        api: ServerControl,
        banner: Banner,
        page: ServerPage,
        chat_busy: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.banner = banner
        self.page = page
        self._chat_busy = chat_busy

    @Slot()
    def update(self) -> None:
        api = self.api
        self.page.set_status(api.running, api.url, api.error, api.serving, api.public)
        serving = ""
        if api.serving:
            serving = self.tr(
                "Serving %n API request(s); your own questions wait their turn.", "", api.serving
            )
            if self._chat_busy():  # the window's own turn is queued behind them
                waiting = self.tr("Waiting for the server's requests…")
                serving = f"{waiting} {serving}"
        if api.error:
            self.banner.show_error(
                self.tr("The API server is not running: {error}").format(error=api.error)
            )
        elif api.public:
            reachable = self.tr(
                "The API is reachable from other machines (it listens on {address}); requests "
                "need the API key."
            ).format(address=api.address)
            self.banner.show_info(f"{reachable} {serving}".strip())
        elif serving:
            self.banner.show_info(serving)
        else:
            self.banner.hide()
