"""The Local tab: the models on this computer, what each is, and load, import, delete."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import paths
from desktop_chat.engine.worker import display_name
from desktop_chat.models import fit, library
from desktop_chat.models.gguf_info import GGUFInfo, InvalidModelFile
from desktop_chat.models.library import LibraryError, ModelEntry, Source
from desktop_chat.ui.models.format import fit_text, fit_tooltip, gigabytes, human_size
from desktop_chat.ui.models.host import ModelsHost
from desktop_chat.ui.shell.widgets import plain_label, plain_tooltip

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_N_CTX = 4096


@dataclass(frozen=True)
class ImportReport:
    imported: list[ModelEntry]
    errors: list[str]


def effective_n_ctx(info: GGUFInfo, n_ctx: int) -> int:
    """Settings use 0 for "the model's trained context"."""
    if n_ctx > 0:
        return n_ctx
    return info.context_length or DEFAULT_N_CTX


def scan_with_fit(n_ctx: int) -> list[tuple[ModelEntry, fit.Fit | None]]:
    budget = fit.current_budget(query_gpu=False)
    result: list[tuple[ModelEntry, fit.Fit | None]] = []
    for entry in library.scan():
        label = None
        if entry.info is not None:
            need = fit.estimate_for(entry.info, effective_n_ctx(entry.info, n_ctx))
            label = fit.fit_label(need, budget)
        result.append((entry, label))
    return result


def import_all(files: list[Path], link: bool, cancel: threading.Event) -> ImportReport:
    report = ImportReport([], [])
    for path in files:
        if cancel.is_set():
            break
        try:
            report.imported.append(library.import_model(path, link=link))
        except (InvalidModelFile, LibraryError) as exc:
            report.errors.append(str(exc))
    return report


class LocalTab(QWidget):
    """Lists the library from a background scan; load, import (copy or link) and delete."""

    load_requested = Signal(Path)
    COLUMNS = (
        "Name", "Architecture", "Parameters", "Quantization", "Size", "Trained context",
        "Chat template", "Memory", "Where",
    )  # fmt: skip

    def __init__(self, host: ModelsHost, n_ctx_provider: Callable[[], int]) -> None:
        super().__init__(host)
        self.host = host
        self.n_ctx_provider = n_ctx_provider
        self.entries: dict[Path, ModelEntry] = {}
        self.current: Path | None = None
        self._scan_id = -1
        self._rescan = False
        self._import_id = -1

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.hint = plain_label()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.tree = QTreeWidget()
        self.tree.setObjectName("localModels")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        layout.addWidget(self.tree, 1)
        self.details = plain_label()
        self.details.setObjectName("hint")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.folder_button = QPushButton(self.tr("Show in file manager"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setProperty("primary", True)
        for button in (self.import_button, self.delete_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        layout.addLayout(buttons)

        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.currentItemChanged.connect(self._on_selection)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.folder_button.clicked.connect(self.show_in_file_manager)
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button.clicked.connect(self._on_load_clicked)
        self._update_buttons()

    # -- scanning -------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Rescan in the background; a refresh asked during a scan runs once it ends."""
        if self._scan_id != -1:
            self._rescan = True
            return
        n_ctx = self._n_ctx()
        self.hint.setText(self.tr("Looking for models…"))
        task = self.host.runner.run(
            "model-scan",
            lambda _context: scan_with_fit(n_ctx),
            self._on_scanned,
            self._on_scan_failed,
        )
        self._scan_id = task.id if task is not None else -1

    def scanning(self) -> bool:
        return self._scan_id != -1

    def _n_ctx(self) -> int:
        try:
            return int(self.n_ctx_provider())
        except Exception:  # a settings problem must not stop the list from showing
            log.exception("n_ctx provider failed")
            return DEFAULT_N_CTX

    @Slot(int, object)
    def _on_scanned(self, job_id: int, result: object) -> None:
        if job_id != self._scan_id:
            return
        self._scan_id = -1
        assert isinstance(result, list)
        self._show(result)
        if self._rescan:
            self._rescan = False
            self.refresh()

    @Slot(int, object)
    def _on_scan_failed(self, job_id: int, error: object) -> None:
        if job_id != self._scan_id:
            return
        self._scan_id = -1
        self.host.banner.show_error(str(error))
        if self._rescan:
            self._rescan = False
            self.refresh()

    def _show(self, rows: list[tuple[ModelEntry, fit.Fit | None]]) -> None:
        selected = self.selected_path()
        self.tree.clear()
        self.entries = {}
        for entry, label in rows:
            self.entries[entry.path] = entry
            item = QTreeWidgetItem(self._row_texts(entry, label))
            item.setData(0, PATH_ROLE, str(entry.path))
            item.setToolTip(0, plain_tooltip(str(entry.path)))
            item.setToolTip(7, fit_tooltip(label))
            if entry.path == self.current:
                font = QFont(item.font(0))
                font.setBold(True)
                for column in range(len(self.COLUMNS)):
                    item.setFont(column, font)
            self.tree.addTopLevelItem(item)
            if entry.error is not None:
                detail = QTreeWidgetItem(["⚠ " + entry.error])
                detail.setData(0, PATH_ROLE, str(entry.path))
                item.addChild(detail)
                detail.setFirstColumnSpanned(True)
                item.setExpanded(True)
            if entry.path == selected:
                self.tree.setCurrentItem(item)
        self._update_hint()
        self._update_buttons()

    def _row_texts(self, entry: ModelEntry, label: fit.Fit | None) -> list[str]:
        where = {
            Source.FOLDER: self.tr("Models folder"),
            Source.REGISTERED: self.tr("Linked: {folder}").format(folder=entry.path.parent),
            Source.STARTER: self.tr("Starter model"),
        }[entry.source]
        marker = "● " if entry.path == self.current else ""
        loaded = self.tr(" (loaded)") if entry.path == self.current else ""
        info = entry.info
        if info is None:
            name = entry.path.name
            return [name, self.tr("Invalid file"), "", "", human_size(entry.size), "", "", "",
                    where]  # fmt: skip
        return [
            marker + display_name(entry.path) + loaded,  # the name the chat shows too
            info.architecture,
            info.parameters_label,
            info.quantization,
            human_size(info.file_size),
            f"{info.context_length:,}" if info.context_length else "?",
            self.tr("yes") if info.chat_template else self.tr("none"),
            fit_text(label),
            where,
        ]

    def _update_hint(self) -> None:
        folder = paths.models_dir()
        if not self.entries:
            text = self.tr(
                "No models yet. Download one from Discover, drop a .gguf file here, or press "
                "Import…. Files live in {folder}."
            )
        else:
            text = self.tr(
                "Double-click a model to load it. Drop .gguf files here to import them. "
                "Files live in {folder}."
            )
        self.hint.setText(text.format(folder=folder))

    def set_current(self, path: Path | None) -> None:
        self.current = path
        self.refresh()

    # -- selection and actions --------------------------------------------------------------

    def selected_path(self) -> Path | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        value = item.data(0, PATH_ROLE)
        return Path(value) if value else None

    def item_for(self, path: Path) -> QTreeWidgetItem | None:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, PATH_ROLE) == str(path):
                return item
        return None

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_selection(self, _current: QTreeWidgetItem, _previous: QTreeWidgetItem) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        path = self.selected_path()
        entry = self.entries.get(path) if path is not None else None
        self.load_button.setEnabled(entry is not None and entry.ok)
        self.delete_button.setEnabled(entry is not None)
        if entry is None:
            self.details.setText("")
        elif entry.error is not None:
            self.details.setText(f"{entry.path}\n{entry.error}")
        else:
            self.details.setText(str(entry.path))

    @Slot(QTreeWidgetItem, int)
    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, PATH_ROLE)
        if value:
            self.request_load(Path(value))

    @Slot()
    def _on_load_clicked(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.request_load(path)

    def request_load(self, path: Path) -> bool:
        """Emit load_requested, after asking first when the model looks too big for memory."""
        entry = self.entries.get(path)
        if entry is not None and entry.info is None:
            self.host.banner.show_error(
                self.tr("{name} cannot be loaded: {error}").format(
                    name=path.name, error=entry.error
                )
            )
            return False
        if entry is not None and entry.info is not None:
            need = fit.estimate_for(entry.info, effective_n_ctx(entry.info, self._n_ctx()))
            budget = fit.current_budget(query_gpu=False)
            if fit.fit_label(need, budget) is fit.Fit.TOO_BIG and not self.host.confirm(
                self.tr("Load a model that may not fit?"),
                self.tr(
                    "This model needs about {need} GB; you have {free} GB free. Load anyway?"
                ).format(need=gigabytes(need.total), free=gigabytes(budget.ram_available)),
            ):
                return False
        self.load_requested.emit(path)
        return True

    @Slot()
    def delete_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.delete(path)

    def delete(self, path: Path) -> bool:
        entry = self.entries.get(path)
        if entry is not None and entry.source is Source.STARTER:
            self.host.banner.show_info(
                self.tr("The starter model ships with the app and cannot be deleted.")
            )
            return False
        linked = entry is not None and entry.source is Source.REGISTERED
        if linked:
            text = self.tr(
                "Remove {name} from the list? The file itself stays where it is."
            ).format(name=path.name)
        else:
            text = self.tr("Delete {name} from the models folder? This cannot be undone.").format(
                name=path.name
            )
        if path == self.current:
            text += " " + self.tr("It stays loaded until you pick another model.")
        if not self.host.confirm(self.tr("Delete model"), text):
            return False
        try:
            library.delete_model(path)
        except (LibraryError, OSError) as exc:
            self.host.banner.show_error(str(exc))
            return False
        self.host.banner.show_info(self.tr("{name} was removed.").format(name=path.name))
        self.refresh()
        return True

    @Slot()
    def show_in_file_manager(self) -> None:
        path = self.selected_path()
        folder = path.parent if path is not None else paths.models_dir()
        self.host.open_url(QUrl.fromLocalFile(str(folder)).toString())

    # -- importing ----------------------------------------------------------------------------

    @Slot()
    def _on_import_clicked(self) -> None:
        files = self.host.choose_import_files()
        if files:
            self.import_files(files)

    def import_files(self, files: list[Path], link: bool | None = None) -> bool:
        """Ask copy-or-link (unless given), then import off the GUI thread."""
        models = [f for f in files if f.suffix.lower() == ".gguf" and f.is_file()]
        if not models:
            self.host.banner.show_error(
                self.tr("Only .gguf model files can be imported; nothing was added.")
            )
            return False
        if self._import_id != -1:
            self.host.banner.show_info(self.tr("An import is still running; try again after it."))
            return False
        if link is None:
            mode = self.host.ask_import_mode(len(models))
            if mode is None:
                return False
            link = mode == "link"
        self.import_button.setEnabled(False)
        self.hint.setText(
            self.tr("Linking {n} file(s)…") if link else self.tr("Copying {n} file(s)…")
        )
        self.hint.setText(self.hint.text().format(n=len(models)))
        chosen_link = link
        task = self.host.runner.run(
            "model-import",
            lambda context: import_all(models, chosen_link, context.cancel),
            self._on_imported,
            self._on_import_failed,
        )
        self._import_id = task.id if task is not None else -1
        return True

    def importing(self) -> bool:
        return self._import_id != -1

    @Slot(int, object)
    def _on_imported(self, job_id: int, report: object) -> None:
        if job_id != self._import_id:
            return
        self._import_id = -1
        self.import_button.setEnabled(True)
        assert isinstance(report, ImportReport)
        if report.errors:
            self.host.banner.show_error(" ".join(report.errors))
        elif report.imported:
            names = ", ".join(display_name(e.path) for e in report.imported)
            self.host.banner.show_info(self.tr("Imported {names}.").format(names=names))
        self.refresh()

    @Slot(int, object)
    def _on_import_failed(self, job_id: int, error: object) -> None:
        if job_id != self._import_id:
            return
        self._import_id = -1
        self.import_button.setEnabled(True)
        self.host.banner.show_error(str(error))
        self.refresh()
