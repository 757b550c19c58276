"""Settings → Server: the OpenAI-compatible API's switch, address, key, base URL and request log."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_chat.server import request_log
from desktop_chat.server.config import new_api_key
from desktop_chat.ui.settings.editors import StopEditor
from desktop_chat.ui.settings.pages import FieldForm, hint
from desktop_chat.ui.shell.widgets import plain_label

SERVER_KEYS = (
    "server.enabled",
    "server.host",
    "server.port",
    "server.api_key",
    "server.cors_origins",
    "server.max_queue",
    "server.max_body_kb",
    "server.log_bodies",
)
LOG_ROWS = 100
LOG_COLUMNS = ("time", "endpoint", "status", "outcome", "completion_tokens", "tokens_per_s")


class ServerPage(FieldForm):
    """The server's settings (applied with the pane's Apply) and what it is doing now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverPage")
        self.outer.insertWidget(
            0,
            hint(
                self.tr(
                    "Other programs (editors, scripts, tools that speak the OpenAI API) can use "
                    "the loaded model through this server. It shares the model with this "
                    "window: their requests and your questions take turns."
                )
            ),
        )
        self.status = plain_label()
        self.status.setObjectName("serverStatus")
        self.status.setWordWrap(True)
        self.copy_url_button = QPushButton(self.tr("Copy base URL"))
        self.copy_url_button.setObjectName("copyBaseUrl")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.copy_url_button)
        self.outer.insertLayout(1, status_row)

        for key in ("server.enabled", "server.host", "server.port"):
            self.add(key)
        self.generate_button = QPushButton(self.tr("Generate"))
        self.copy_key_button = QPushButton(self.tr("Copy"))
        key_edit = QLineEdit()
        key_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        key_edit.setObjectName("apiKey")
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.generate_button)
        row.addWidget(self.copy_key_button)
        row.addStretch(1)
        self.add("server.api_key", key_edit, (buttons,))
        self.key_edit = key_edit
        cors = StopEditor()
        cors.setPlaceholderText(self.tr("One web origin per line, e.g. http://localhost:3000"))
        self.add("server.cors_origins", cors)
        for key in ("server.max_queue", "server.max_body_kb", "server.log_bodies"):
            self.add(key)

        self.outer.addWidget(plain_label(self.tr("Recent requests")))
        self.log_table = QTableWidget(0, len(LOG_COLUMNS))
        self.log_table.setObjectName("requestLog")
        self.log_table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Endpoint"),
                self.tr("Status"),
                self.tr("Outcome"),
                self.tr("Tokens"),
                self.tr("Tokens/s"),
            ]
        )
        self.log_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_table.verticalHeader().hide()
        header = self.log_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.log_table.setMinimumHeight(160)
        self.outer.addWidget(self.log_table)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        log_row = QHBoxLayout()
        log_row.addWidget(hint(request_log.log_path().as_posix()), 1)
        log_row.addWidget(self.refresh_button)
        self.outer.addLayout(log_row)
        self.finish()

        self._url = ""
        self.generate_button.clicked.connect(self._generate_key)
        self.copy_key_button.clicked.connect(self._copy_key)
        self.copy_url_button.clicked.connect(self._copy_url)
        self.refresh_button.clicked.connect(self.refresh_log)
        self.set_status(False, "", "", 0)

    # -- what the server is doing (called by the app) --------------------------------------
    def set_status(
        self, running: bool, url: str, error: str, serving: int, public: bool = False
    ) -> None:
        if error:
            text = self.tr("Not running: {error}").format(error=error)
        elif running:
            text = self.tr("Running at {url}").format(url=url)
            if public:
                text += " · " + self.tr("reachable from other machines with the API key")
            if serving:
                text += " · " + self.tr("serving %n request(s)", "", serving)
        else:
            text = self.tr("Off. Turn it on below and press Apply.")
        self.status.setText(text)
        self._url = url
        self.copy_url_button.setEnabled(bool(url))
        if not running:
            self.refresh_log()

    @Slot()
    def refresh_log(self) -> None:
        records = request_log.recent(LOG_ROWS)
        self.log_table.setRowCount(len(records))
        for row, record in enumerate(reversed(records)):  # newest first
            for column, key in enumerate(LOG_COLUMNS):
                value = str(record.get(key, ""))
                if key == "time":  # 2026-12-01T14:30:12+0000: the clock time says enough
                    value = value[11:19] or value
                item = QTableWidgetItem(value)
                if key == "time":
                    item.setToolTip(str(record.get(key, "")))
                self.log_table.setItem(row, column, item)

    # -- key and URL -----------------------------------------------------------------------
    @Slot()
    def _generate_key(self) -> None:
        self.key_edit.setText(new_api_key())

    @Slot()
    def _copy_key(self) -> None:
        QApplication.clipboard().setText(self.key_edit.text())

    @Slot()
    def _copy_url(self) -> None:
        if self._url:
            QApplication.clipboard().setText(self._url)
