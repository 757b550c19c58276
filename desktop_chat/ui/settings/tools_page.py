"""Settings → Tools: MCP servers (stdio command or Streamable HTTP URL, import of an mcp.json),
each server's tools with an enable box, its timeout; the built-in tools (off by default)."""

from __future__ import annotations

import logging
import shlex
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.tasks import TaskContext, TaskRunner
from desktop_chat.tools import builtin, config
from desktop_chat.tools.config import ServerConfig, ToolsConfig
from desktop_chat.tools.mcp_client import McpError, McpHub
from desktop_chat.tools.specs import ToolSpec
from desktop_chat.ui.settings.pages import hint
from desktop_chat.ui.settings.record_list import RecordList
from desktop_chat.ui.shell.widgets import plain_label

log = logging.getLogger(__name__)


def _list_tools(server: ServerConfig, _context: TaskContext) -> list[ToolSpec]:
    hub = McpHub()
    try:
        return hub.connect(server)
    finally:
        hub.close()


class ToolsPage(QWidget):
    """Edits tools.json directly (saved at once, like the endpoints file)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolsPage")
        self.runner = TaskRunner(self)
        self.config: ToolsConfig = config.load()
        self._current: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 16, 8)
        outer.addWidget(
            hint(
                self.tr(
                    "Tools let the model look things up or act during an answer. Every call "
                    "asks you first (Allow once, Always for this tool, or Deny). Nothing reaches "
                    "the network unless you add an MCP server that does."
                )
            )
        )
        builtins_title = plain_label(self.tr("Built-in tools (local only)"))
        builtins_title.setObjectName("subTitle")
        outer.addWidget(builtins_title)
        labels = {
            builtin.DATETIME.name: self.tr("Date and time"),
            builtin.CALCULATOR.name: self.tr("Calculator"),
            builtin.KB_SEARCH.name: self.tr("Knowledge base search"),
        }
        self.builtin_boxes: dict[str, QCheckBox] = {}
        for name, label in labels.items():
            box = QCheckBox(label)
            box.setChecked(name in self.config.builtins)
            box.toggled.connect(self._save_builtins)
            self.builtin_boxes[name] = box
            outer.addWidget(box)
        limit_row = QFormLayout()
        limit_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.limit = QSpinBox()
        self.limit.setRange(1, 64)
        self.limit.setValue(self.config.max_calls_per_turn)
        self.limit.valueChanged.connect(self._save_limit)
        limit_row.addRow(plain_label(self.tr("Tool calls per answer, at most")), self.limit)
        outer.addLayout(limit_row)

        servers_title = plain_label(self.tr("MCP servers"))
        servers_title.setObjectName("subTitle")
        outer.addWidget(servers_title)
        self.records = RecordList("mcpServerList", self.tr("Add server"))
        self.list = self.records.list
        self.add_button = self.records.add_button
        self.import_button = self.records.add_list_button(self.tr("Import mcp.json…"))
        self.remove_button = self.records.remove_button
        self.name_edit = QLineEdit()
        self.command_edit = QLineEdit()
        self.command_edit.setPlaceholderText(
            "npx -y @modelcontextprotocol/server-filesystem ~/Documents"
        )
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("http://127.0.0.1:8000/mcp")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 3600)
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setValue(config.DEFAULT_TIMEOUT_S)
        for label, editor in (
            (self.tr("Name"), self.name_edit),
            (self.tr("Command (stdio)"), self.command_edit),
            (self.tr("or URL (Streamable HTTP)"), self.url_edit),
            (self.tr("Timeout per call"), self.timeout),
        ):
            self.records.add_row(label, editor)
        self.save_button, self.check_button = self.records.add_actions(
            self.tr("Save server"), self.tr("Start and list tools")
        )
        self.status = self.records.status
        self.tools_list = QListWidget()
        self.tools_list.setObjectName("mcpToolList")
        self.tools_list.setMaximumHeight(220)
        self.records.column.addWidget(self.tools_list)
        outer.addWidget(self.records)
        outer.addStretch(1)

        self.records.chosen.connect(self._show_server)
        self.add_button.clicked.connect(self._new_server)
        self.import_button.clicked.connect(self._import_dialog)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(self.save_server)
        self.check_button.clicked.connect(self.list_tools)
        self.tools_list.itemChanged.connect(self._tool_toggled)
        self._fill_list()

    # -- persistence -----------------------------------------------------------------------
    def _save(self) -> None:
        try:
            config.save(self.config)
        except OSError as error:
            log.warning("could not save tools.json: %s", error)
            self.status.setText(
                self.tr("The tools could not be saved: {0}").format(error.strerror or error)
            )

    @Slot()
    def _save_builtins(self) -> None:
        self.config.builtins = [n for n, box in self.builtin_boxes.items() if box.isChecked()]
        self._save()

    @Slot(int)
    def _save_limit(self, value: int) -> None:
        self.config.max_calls_per_turn = value
        self._save()

    # -- servers ---------------------------------------------------------------------------
    def _fill_list(self, select: str | None = None) -> None:
        self.records.fill([s.name for s in self.config.servers], select)

    @Slot(str)
    def _show_server(self, name: str) -> None:
        server = self.config.server(name)
        self._current = server.name if server else None
        self.name_edit.setText(server.name if server else "")
        command = shlex.join([server.command, *server.args]) if server and server.command else ""
        self.command_edit.setText(command)
        self.url_edit.setText(server.url if server else "")
        self.timeout.setValue(server.timeout_s if server else config.DEFAULT_TIMEOUT_S)
        self.tools_list.clear()
        self.status.setText("")

    @Slot()
    def _new_server(self) -> None:
        self.records.new_record()
        self.name_edit.setFocus()

    def save_server(self) -> ServerConfig | None:
        name = self.name_edit.text().strip()
        command, url = self.command_edit.text().strip(), self.url_edit.text().strip()
        if not name or not (command or url):
            self.status.setText(self.tr("Give the server a name and a command or a URL."))
            return None
        try:
            words = shlex.split(command) if command else []
        except ValueError:
            self.status.setText(self.tr("The command has an unclosed quote."))
            return None
        old = self.config.server(self._current or name)
        server = ServerConfig(
            name=name,
            command=words[0] if words else "",
            args=words[1:],
            url="" if words else url,
            env=old.env if old else {},
            timeout_s=self.timeout.value(),
            disabled_tools=old.disabled_tools if old else [],
            trusted_tools=old.trusted_tools if old else [],
        )
        self.config.servers = [
            s for s in self.config.servers if s.name not in (name, self._current)
        ] + [server]
        self._save()
        self._fill_list(select=name)
        self.status.setText(self.tr("Saved."))
        return server

    @Slot()
    def _remove(self) -> None:
        if self._current is None:
            return
        self.config.servers = [s for s in self.config.servers if s.name != self._current]
        self._save()
        self._fill_list()

    @Slot()
    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import mcp.json"), str(Path.home()), self.tr("JSON files (*.json)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> list[str]:
        try:
            names = config.import_mcp_json(self.config, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            self.status.setText(
                self.tr("{0} could not be read: {1}").format(
                    path.name, getattr(error, "strerror", None) or error
                )
            )
            return []
        except config.ToolsConfigError as error:
            self.status.setText(str(error))
            return []
        self._save()
        self._fill_list(select=names[0])
        self.status.setText(self.tr("Imported: {0}").format(", ".join(names)))
        return names

    # -- tools -----------------------------------------------------------------------------
    @Slot()
    def list_tools(self) -> None:
        server = self.save_server()
        if server is None:
            return
        self.check_button.setEnabled(False)
        self.status.setText(self.tr("Starting {0}…").format(server.name))
        self.runner.run(
            "mcp-list-tools",
            lambda context: _list_tools(server, context),
            on_done=lambda _id, tools: self._show_tools(server.name, tools),
            on_failed=lambda _id, error: self._tools_failed(error),
            expected=(McpError,),
        )

    def _show_tools(self, name: str, tools: list[ToolSpec]) -> None:
        self.check_button.setEnabled(True)
        server = self.config.server(name)
        if server is None or name != self._current:
            return
        self.tools_list.blockSignals(True)
        self.tools_list.clear()
        for spec in tools:
            item = QListWidgetItem(spec.name)
            item.setToolTip(spec.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            enabled = server.tool_enabled(spec.name)
            item.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
            self.tools_list.addItem(item)
        self.tools_list.blockSignals(False)
        self.status.setText(
            self.tr("{0} tools; the ticked ones are offered to the model.").format(len(tools))
        )

    def _tools_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.status.setText(str(error))

    @Slot(QListWidgetItem)
    def _tool_toggled(self, item: QListWidgetItem) -> None:
        server = self.config.server(self._current or "")
        if server is None:
            return
        name = item.text()
        disabled = set(server.disabled_tools)
        if item.checkState() == Qt.CheckState.Checked:
            disabled.discard(name)
        else:
            disabled.add(name)
        server.disabled_tools = sorted(disabled)
        self._save()

    def shutdown(self) -> None:
        self.runner.shutdown()
