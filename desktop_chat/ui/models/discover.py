"""The Discover tab: the curated catalog, Hub search, a repo's GGUF files, and Download."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import paths
from desktop_chat.models import fit, hub
from desktop_chat.models.catalog import CatalogEntry, CatalogError, load_catalog
from desktop_chat.models.download import DownloadError
from desktop_chat.models.hub import HubError, HubModelFile, HubOffline, RepoSummary
from desktop_chat.models.repo_files import RepoFiles, fetch_repo_files
from desktop_chat.ui.models.format import fit_text, fit_tooltip, gigabytes, human_size
from desktop_chat.ui.models.host import ModelsHost
from desktop_chat.ui.models.token import ask_and_keep_token
from desktop_chat.ui.shell.widgets import plain_label, plain_tooltip

log = logging.getLogger(__name__)

REPO_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 20


def _stretch_first(tree: QTreeWidget) -> None:
    """Long repo and file names give way (elided in the middle, keeping the quant) first."""
    header = tree.header()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)


class DiscoverTab(QWidget):
    """Catalog and search on the left, the chosen repo's files on the right."""

    REPO_COLUMNS = ("Model", "Parameters", "Size", "License", "Memory", "Downloads")
    FILE_COLUMNS = ("File", "Quantization", "Size", "Memory", "")

    def __init__(self, host: ModelsHost) -> None:
        super().__init__(host)
        self.host = host
        self.page_size = PAGE_SIZE
        self.online: bool | None = None
        self._query = ""
        self._offset = 0
        self._search_id = -1
        self._files_id = -1
        self._repo_id: str | None = None
        self._files: dict[str, HubModelFile] = {}
        self._labels: dict[str, fit.Fit] = {}
        self._catalog: dict[str, CatalogEntry] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        search_row = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Search the Hugging Face Hub for GGUF models"))
        self.search_box.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("Search"))
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.search_button)
        self.token_button = QPushButton(self.tr("Access token…"))
        self.token_button.setToolTip(self.tr("A Hugging Face token, for gated models"))
        self.token_button.clicked.connect(self.edit_token)
        search_row.addWidget(self.token_button)
        layout.addLayout(search_row)
        self.status = plain_label()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.repos = QTreeWidget()
        self.repos.setObjectName("discoverRepos")
        self.repos.setHeaderLabels([self.tr(c) for c in self.REPO_COLUMNS])
        self.repos.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        left_layout.addWidget(self.repos, 1)
        self.more_button = QPushButton(self.tr("More results"))
        self.more_button.hide()
        left_layout.addWidget(self.more_button)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.repo_title = plain_label(self.tr("Pick a model to see its files."))
        self.repo_title.setObjectName("repoTitle")
        self.repo_title.setWordWrap(True)
        right_layout.addWidget(self.repo_title)
        self.description = plain_label()
        self.description.setObjectName("hint")
        self.description.setWordWrap(True)
        right_layout.addWidget(self.description)
        self.files = QTreeWidget()
        self.files.setObjectName("discoverFiles")
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels([self.tr(c) for c in self.FILE_COLUMNS])
        _stretch_first(self.files)
        right_layout.addWidget(self.files, 1)
        buttons = QHBoxLayout()
        self.card_button = QPushButton(self.tr("Open model card"))
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setProperty("primary", True)
        buttons.addWidget(self.card_button)
        buttons.addStretch(1)
        buttons.addWidget(self.download_button)
        right_layout.addLayout(buttons)
        splitter.addWidget(right)
        splitter.setSizes([700, 480])
        layout.addWidget(splitter, 1)

        self.search_box.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.more_button.clicked.connect(self.more)
        self.repos.currentItemChanged.connect(self._on_repo_selected)
        self.files.currentItemChanged.connect(self._on_file_selected)
        self.files.itemDoubleClicked.connect(self._on_file_double_clicked)
        self.card_button.clicked.connect(self.open_model_card)
        self.download_button.clicked.connect(self.download_selected)

        self.catalog_group = self._group(self.tr("Recommended models"))
        self.results_group = self._group(self.tr("Hub search results"))
        self.results_group.setHidden(True)
        self._fill_catalog()
        self._update_actions()

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self.repos.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)
        item.setExpanded(True)
        return item

    def _fill_catalog(self) -> None:
        try:
            entries = load_catalog()
        except (CatalogError, OSError, ValueError):
            log.exception("the packaged catalog is unreadable")
            entries = []
        budget = fit.MemoryBudget(fit.ram_available())
        for entry in entries:
            if entry.kind != "chat":
                continue
            label = fit.fit_label(fit.estimate(entry.size_bytes, 0), budget)
            name = entry.name + ("  中文" if entry.good_at_chinese else "")
            item = QTreeWidgetItem(
                [
                    name,
                    entry.parameters,
                    human_size(entry.size_bytes),
                    entry.license,
                    fit_text(label),
                    "",
                ]
            )
            item.setData(0, REPO_ROLE, entry.repo_id)
            item.setToolTip(0, plain_tooltip(entry.description))
            item.setToolTip(4, fit_tooltip(label))
            self.catalog_group.addChild(item)
            self._catalog[entry.repo_id] = entry

    # -- online state -----------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        self.online = online
        if not online:
            self.status.setText(
                self.tr(
                    "Offline — local models only. Hub search and downloads come back when the "
                    "model hub can be reached."
                )
            )
        elif self.status.text().startswith(self.tr("Offline")):
            self.status.setText("")
        self._update_actions()

    def _update_actions(self) -> None:
        usable = self.online is not False
        self.search_button.setEnabled(usable and self._search_id == -1)
        self.search_box.setEnabled(usable)
        self.more_button.setEnabled(usable and self._search_id == -1)
        self.card_button.setEnabled(usable and self._repo_id is not None)
        item = self.files.currentItem()
        self.download_button.setEnabled(usable and item is not None)

    # -- search -------------------------------------------------------------------------------

    @Slot()
    def search(self) -> None:
        if self.online is False or self._search_id != -1:
            return
        self._query = self.search_box.text().strip()
        self._offset = 0
        self.results_group.takeChildren()
        self._start_search()

    @Slot()
    def more(self) -> None:
        if self._search_id == -1 and self.online is not False:
            self._start_search()

    def _start_search(self) -> None:
        query, offset, limit = self._query, self._offset, self.page_size
        self.status.setText(self.tr("Searching…"))
        task = self.host.runner.run(
            "hub-search",
            lambda _context: hub.search(query, limit=limit, offset=offset),
            self._on_results,
            self._on_search_failed,
            expected=(HubError,),
        )
        self._search_id = task.id if task is not None else -1
        self._update_actions()

    def searching(self) -> bool:
        return self._search_id != -1

    @Slot(int, object)
    def _on_results(self, job_id: int, results: object) -> None:
        if job_id != self._search_id:
            return
        self._search_id = -1
        assert isinstance(results, list)
        for summary in results:
            assert isinstance(summary, RepoSummary)
            text = summary.repo_id + ("  " + self.tr("(gated)") if summary.gated else "")
            item = QTreeWidgetItem([text, "", "", "", "", f"{summary.downloads:,}"])
            item.setData(0, REPO_ROLE, summary.repo_id)
            self.results_group.addChild(item)
        self._offset += len(results)
        self.results_group.setHidden(False)
        self.results_group.setExpanded(True)
        count = self.results_group.childCount()
        if count == 0:
            self.status.setText(self.tr("No GGUF models match that search."))
        else:
            self.status.setText(self.tr("{n} models found.").format(n=count))
        self.more_button.setVisible(len(results) >= self.page_size)
        self._update_actions()

    @Slot(int, object)
    def _on_search_failed(self, job_id: int, error: object) -> None:
        if job_id != self._search_id:
            return
        self._search_id = -1
        self._show_hub_error(error)
        self._update_actions()

    def _show_hub_error(self, error: object) -> None:
        if isinstance(error, HubOffline):
            self.host.set_online(False)
        else:
            self.status.setText(str(error))

    # -- a repo's files -------------------------------------------------------------------------

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_repo_selected(self, current: QTreeWidgetItem, _previous: QTreeWidgetItem) -> None:
        repo_id = current.data(0, REPO_ROLE) if current is not None else None
        if repo_id:
            self.show_repo(str(repo_id))

    def show_repo(self, repo_id: str) -> None:
        self._repo_id = repo_id
        self.files.clear()
        self._files = {}
        self.repo_title.setText(repo_id)
        entry = self._catalog.get(repo_id)
        self.description.setText(entry.description if entry else "")
        self._update_actions()
        if self.online is False:
            self.status.setText(self.tr("Offline — the file list needs the model hub."))
            return
        self.status.setText(self.tr("Listing the files of {repo}…").format(repo=repo_id))
        task = self.host.runner.run(
            "hub-files",
            lambda _context: fetch_repo_files(repo_id),
            self._on_files,
            self._on_files_failed,
            expected=(HubError,),
        )
        self._files_id = task.id if task is not None else -1

    def listing(self) -> bool:
        return self._files_id != -1

    @Slot(int, object)
    def _on_files(self, job_id: int, result: object) -> None:
        if job_id != self._files_id:
            return
        self._files_id = -1
        assert isinstance(result, RepoFiles)
        self._labels = result.labels
        models_dir = paths.models_dir()
        for model in result.files:
            label = result.labels.get(model.filename)
            notes = []
            if model.filename == result.recommended:
                notes.append(self.tr("Recommended"))
            if model.is_split:
                notes.append(self.tr("{n} parts").format(n=len(model.parts)))
            if (models_dir / model.filename.rsplit("/", 1)[-1]).is_file():
                notes.append(self.tr("Downloaded"))
            item = QTreeWidgetItem(
                [
                    model.filename,
                    model.quant or "?",
                    human_size(model.size),
                    fit_text(label),
                    " · ".join(notes),
                ]
            )
            item.setData(0, REPO_ROLE, model.filename)
            item.setToolTip(3, fit_tooltip(label))
            self.files.addTopLevelItem(item)
            self._files[model.filename] = model
            if model.filename == result.recommended:
                self.files.setCurrentItem(item)
        if not result.files:
            self.status.setText(self.tr("This repository has no GGUF files."))
        else:
            self.status.setText(
                self.tr("{free} GB of memory is free now.").format(
                    free=gigabytes(result.ram_available)
                )
            )
        self._update_actions()

    @Slot(int, object)
    def _on_files_failed(self, job_id: int, error: object) -> None:
        if job_id != self._files_id:
            return
        self._files_id = -1
        self._show_hub_error(error)

    def file_item(self, filename: str) -> QTreeWidgetItem | None:
        for index in range(self.files.topLevelItemCount()):
            item = self.files.topLevelItem(index)
            if item.data(0, REPO_ROLE) == filename:
                return item
        return None

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_file_selected(self, _current: QTreeWidgetItem, _previous: QTreeWidgetItem) -> None:
        self._update_actions()

    @Slot(QTreeWidgetItem, int)
    def _on_file_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        self.download_selected()

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def edit_token(self, token: str | None = None) -> str:
        """Ask for the Hub token (gated models); ``token`` skips the dialog (tests).

        Returns the sentence shown to the user."""
        message = ask_and_keep_token(self, token)
        if message:
            self.host.banner.show_info(message)
        return message

    @Slot()
    def open_model_card(self) -> None:
        if self._repo_id is not None:
            self.host.open_url(f"{hub.endpoint()}/{self._repo_id}")

    @Slot()
    def download_selected(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.download(str(item.data(0, REPO_ROLE)))

    def download(self, filename: str) -> list[str]:
        """Queue every part of ``filename``; asks first when it will not fit in memory."""
        model = self._files.get(filename)
        if model is None or self.online is False:
            return []
        if self._labels.get(filename) is fit.Fit.TOO_BIG and not self.host.confirm(
            self.tr("Download a model that may not fit?"),
            self.tr(
                "This model needs about {need} GB; you have {free} GB free. Download anyway?"
            ).format(
                need=gigabytes(fit.estimate(model.size, 0).total),
                free=gigabytes(fit.ram_available()),
            ),
        ):
            return []
        ids = []
        try:
            for part in model.parts:
                url = hub.file_url(model.repo_id, part.path)
                ids.append(
                    self.host.adapter.add(
                        url, part.path, sha256=part.sha256, size=part.size, repo_id=model.repo_id
                    )
                )
        except DownloadError as exc:
            self.host.banner.show_error(str(exc))
            return ids
        self.host.banner.show_info(
            self.tr("{name} was added to Downloads.").format(name=filename.rsplit("/", 1)[-1])
        )
        return ids
