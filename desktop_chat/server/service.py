"""ApiServer: binds the socket, runs uvicorn on a task-runner thread, stops and joins it."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop_chat.engine.types import GenParams
from desktop_chat.server.bridge import Engine, EngineBridge
from desktop_chat.server.config import ServerConfig, ServerConfigError, base_url, check_bind
from desktop_chat.server.request_log import RequestLog
from desktop_chat.tasks import Task, TaskContext, TaskRunner

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0
# Open streams get this long to finish once stop() has aborted their generations.
GRACEFUL_S = 2


def _bind(host: str, port: int) -> socket.socket:
    """Bind now, on the caller's thread, so "port in use" is a sentence before anything runs."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if isinstance(error, socket.gaierror):
            raise ServerConfigError(
                QCoreApplication.translate(
                    "ApiServer",
                    "The listen address {host} is not an address of this computer. Use "
                    "127.0.0.1, 0.0.0.0 or one of its own addresses.",
                ).format(host=host)
            ) from error
        raise ServerConfigError(
            QCoreApplication.translate(
                "ApiServer",
                "The API cannot listen on {host}:{port} ({reason}). Another program may be "
                "using the port: pick another one.",
            ).format(host=host, port=port, reason=error.strerror or error)
        ) from error
    sock.set_inheritable(True)
    return sock


class ApiServer(QObject):
    """The OpenAI-compatible API on the shared engine. ``start`` raises ServerConfigError."""

    running_changed = Signal(bool)
    failed = Signal(str)  # the server thread ended with an error (a sentence)

    def __init__(
        self,
        engine: Engine,
        defaults: Callable[[], GenParams] = GenParams,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._defaults = defaults
        self._runner = TaskRunner(self)
        self._uvicorn: object | None = None
        self._task: Task | None = None
        self.config: ServerConfig | None = None
        self.port = 0

    @property
    def running(self) -> bool:
        return self._uvicorn is not None

    @property
    def base_url(self) -> str:
        return base_url(self.config.host, self.port) if self.config else ""

    def start(self, config: ServerConfig) -> str:
        """Start listening; returns the base URL. Raises ServerConfigError with a sentence."""
        import uvicorn

        # Starlette and sse-starlette (with uvicorn, 6 MB resident) load when a server starts.
        from desktop_chat.server.routes import ServerContext, build_app

        check_bind(config)
        self.stop()
        sock = _bind(config.host, config.port)
        self.config = config
        self.port = sock.getsockname()[1]
        context = ServerContext(
            EngineBridge(self._engine, config.max_queue),
            config,
            RequestLog(log_bodies=config.log_bodies),
            self._defaults,
        )
        server = uvicorn.Server(
            uvicorn.Config(
                build_app(context),
                log_config=None,  # uvicorn's messages go to our logger
                access_log=False,  # the request log says more, without the query string
                timeout_graceful_shutdown=GRACEFUL_S,
                lifespan="off",
                ws="none",
            )
        )

        def serve(task: TaskContext) -> None:
            task.on_cancel(lambda: setattr(server, "should_exit", True))
            try:
                server.run(sockets=[sock])
            finally:
                sock.close()

        self._uvicorn = server
        task = self._runner.run(
            "api-server", serve, on_done=self._on_ended, on_failed=self._on_crashed
        )
        if task is None:
            sock.close()
            self._uvicorn = None
            raise ServerConfigError(
                QCoreApplication.translate(
                    "ApiServer", "The app is closing; the API was not started."
                )
            )
        self._task = task
        log.info("API server listening on %s", self.base_url)
        self.running_changed.emit(True)
        return self.base_url

    def stop(self) -> None:
        """Abort the server's generations, let open streams end, and join the thread."""
        if self._uvicorn is None:
            return
        self._engine.stop_outside()
        self._uvicorn = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            if not task.join(STOP_TIMEOUT_S):
                log.error("the API server did not stop in %.0f s", STOP_TIMEOUT_S)
        log.info("API server stopped")
        self.running_changed.emit(False)

    def shutdown(self) -> None:
        self.stop()
        self._runner.shutdown()

    def _on_ended(self, task_id: int, _result: object) -> None:
        self._ended(task_id, "")

    def _on_crashed(self, task_id: int, error: object) -> None:
        log.error("API server failed: %s", error)
        self._ended(task_id, str(error))

    def _ended(self, task_id: int, message: str) -> None:
        if self._task is None or task_id != self._task.id or self._uvicorn is None:
            return
        self._uvicorn = None
        self.running_changed.emit(False)
        if message:
            self.failed.emit(message)
