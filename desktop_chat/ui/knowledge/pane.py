"""The Knowledge pane: knowledge bases, their indexing with progress, and a search to try them."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.kb import library
from desktop_chat.kb.index import IndexReport, KbError, KbStats, Passage
from desktop_chat.kb.readers import SUPPORTED_SUFFIXES
from desktop_chat.ui.knowledge.indexer import KbIndexer
from desktop_chat.ui.knowledge.search_panel import KbSearchPanel
from desktop_chat.ui.shell.banner import Banner
from desktop_chat.ui.shell.widgets import ask_yes_no, plain_label, plain_tooltip

log = logging.getLogger(__name__)


class KnowledgePane(QWidget):
    """Lists knowledge bases and runs indexing through a shared ``KbIndexer``.

    ``kbs_changed`` fires after a knowledge base is created, changed or deleted, so that
    profile editors can refresh their knowledge-base lists.
    """

    kbs_changed = Signal()

    COLUMNS = ("Name", "Documents", "Passages")

    def __init__(self, indexer: KbIndexer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgePane")
        self.indexer = indexer
        self._build()
        indexer.progress.connect(self._on_progress)
        indexer.finished.connect(self._on_finished)
        indexer.failed.connect(self._on_failed)
        indexer.cancelled.connect(self._on_cancelled)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # Searches run on the GUI thread; the encoder they need loads on a task first.
        self.indexer.warm_up()
        super().showEvent(event)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = plain_label(self.tr("Knowledge bases"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        hint = plain_label(
            self.tr(
                "A knowledge base lets an assistant answer from your own documents and show "
                "where each answer came from. Choose one for an assistant under Profiles."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.banner = Banner(self)
        layout.addWidget(self.banner)

        self.tree = QTreeWidget()
        self.tree.setObjectName("kbList")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr(c) for c in self.COLUMNS])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):  # the counts' titles are shown whole, in any language
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_selection_changed)
        layout.addWidget(self.tree, 1)
        self.detail_label = plain_label()
        self.detail_label.setObjectName("hint")
        self.detail_label.setWordWrap(True)
        layout.addWidget(self.detail_label)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New from folder…"))
        self.add_button = QPushButton(self.tr("Add files…"))
        self.reindex_button = QPushButton(self.tr("Re-index"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.new_button.clicked.connect(self._on_new_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.reindex_button.clicked.connect(self._on_reindex_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        for button in (self.new_button, self.add_button, self.reindex_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)

        self.progress_row = QWidget()
        self.progress_row.setObjectName("kbProgressRow")
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("kbProgress")
        self.progress_label = plain_label()
        self.progress_label.setObjectName("statusLine")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.progress_label)
        self.progress_row.hide()
        self.progress_label.hide()
        self.status_label = plain_label()
        self.status_label.setObjectName("kbStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self.search_panel = KbSearchPanel()
        self.search_panel.search_requested.connect(self._on_search_clicked)
        self.search_box = self.search_panel.search_box
        self.search_button = self.search_panel.search_button
        self.results_view = self.search_panel.results_view
        layout.addWidget(self.search_panel, 2)

    # -- hooks that tests replace ------------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text)

    def ask_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder of documents"))
        return Path(folder) if folder else None

    def ask_name(self, default: str) -> str | None:
        name, ok = QInputDialog.getText(
            self, self.tr("New knowledge base"), self.tr("Name:"), text=default
        )
        return name.strip() if ok and name.strip() else None

    def ask_files(self) -> list[Path]:
        suffixes = sorted(SUPPORTED_SUFFIXES)
        pattern = " ".join(f"*{s}" for s in suffixes)
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add files"), "", self.tr("Documents ({pattern})").format(pattern=pattern)
        )
        return [Path(f) for f in files]

    # -- list --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the knowledge bases and their counts; keeps the selection."""
        selected = self.selected_name()
        self.tree.clear()
        for name in library.list_kbs():
            item = QTreeWidgetItem([name, "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            try:
                stats = self._stats(name)
            except (KbError, sqlite3.Error) as exc:
                item.setText(1, "—")
                item.setToolTip(0, plain_tooltip(str(exc)))
            else:
                item.setText(1, str(stats.documents))
                item.setText(2, str(stats.passages))
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        for column in (1, 2):
            self.tree.resizeColumnToContents(column)
        if (selected is None or not self.select(selected)) and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._update_detail()
        self._update_buttons()

    @staticmethod
    def _stats(name: str) -> KbStats:
        with library.open_kb(name) as kb:
            return kb.stats()

    def names(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def selected_name(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, name: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == name:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _update_detail(self) -> None:
        name = self.selected_name()
        if name is None:
            self.detail_label.setText(
                self.tr(
                    "No knowledge bases yet. Create one from a folder of documents "
                    "(PDF, Word, HTML, Markdown, text or CSV)."
                )
            )
            return
        item = self.tree.currentItem()
        if item.text(1) == "—":
            self.detail_label.setText(item.toolTip(0))
        elif item.text(1) == "0":
            self.detail_label.setText(
                self.tr(
                    "“{name}” is empty: add files, or re-index if its files have changed."
                ).format(name=name)
            )
        else:
            self.detail_label.setText(
                self.tr("“{name}”: {documents} documents, {passages} passages.").format(
                    name=name, documents=item.text(1), passages=item.text(2)
                )
            )

    def _update_buttons(self) -> None:
        busy = self.indexer.busy
        has_kb = self.selected_name() is not None
        self.new_button.setEnabled(not busy)
        for button in (self.add_button, self.reindex_button, self.delete_button):
            button.setEnabled(has_kb and not busy)
        self.search_button.setEnabled(has_kb)
        self.progress_row.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_detail()
        self._update_buttons()

    # -- actions -----------------------------------------------------------------------
    @Slot()
    def _on_new_clicked(self) -> None:
        folder = self.ask_folder()
        if folder is None:
            return
        name = self.ask_name(folder.name)
        if name is not None:
            self.create_from_folder(folder, name)

    def create_from_folder(self, folder: Path, name: str) -> bool:
        """Start indexing ``folder`` into a new knowledge base; False (and a banner) if refused."""
        try:
            name = library.validate_name(name)
        except KbError as exc:
            self.banner.show_error(str(exc))
            return False
        if library.exists(name):
            self.banner.show_error(
                self.tr(
                    'A knowledge base called "{name}" already exists: choose another name.'
                ).format(name=name)
            )
            return False
        self.indexer.create(name, [folder])
        self._start(name, self.tr("Creating “{name}”…").format(name=name))
        return True

    @Slot()
    def _on_add_clicked(self) -> None:
        name = self.selected_name()
        files = self.ask_files() if name is not None else []
        if name is not None and files:
            self.add_files(name, files)

    def add_files(self, name: str, files: list[Path]) -> None:
        self.indexer.add(name, files)
        self._start(name, self.tr("Adding files to “{name}”…").format(name=name))

    @Slot()
    def _on_reindex_clicked(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.indexer.sync(name)
            self._start(name, self.tr("Re-indexing “{name}”…").format(name=name))

    @Slot()
    def _on_delete_clicked(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.delete(name)

    def delete(self, name: str) -> bool:
        """Delete a knowledge base after the user confirms; True when it was deleted."""
        question = self.tr(
            "Delete the knowledge base “{name}”? Your documents stay where they are; only the "
            "index is removed, and assistants that use it will answer without it."
        ).format(name=name)
        if not self.confirm(self.tr("Delete knowledge base"), question):
            return False
        try:
            library.delete_kb(name)
        except OSError as exc:
            log.warning("deleting knowledge base %s failed: %s", name, exc)
            self.banner.show_error(
                self.tr("“{name}” could not be deleted: {error}").format(name=name, error=exc)
            )
            return False
        self.status_label.setText(self.tr("Deleted “{name}”.").format(name=name))
        self.search_panel.clear_results()
        self.refresh()
        self.kbs_changed.emit()
        return True

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.indexer.cancel()

    def _start(self, name: str, text: str) -> None:
        """Show that the job just queued is under way."""
        self.banner.hide()
        self.status_label.clear()
        self.progress_bar.setRange(0, 0)  # busy until the first file is counted
        self.progress_label.setText(text)
        self._update_buttons()

    # -- indexer results ---------------------------------------------------------------
    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, source: str) -> None:
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)
        self.progress_label.setText(
            self.tr("Indexing {source} ({done} of {total})…").format(
                source=source, done=done, total=total
            )
        )
        self._update_buttons()

    @Slot(str, object)
    def _on_finished(self, name: str, report: IndexReport) -> None:
        self.status_label.setText(self.indexer.describe(name, report))
        self._job_ended(name)

    @Slot(str, str)
    def _on_failed(self, name: str, message: str) -> None:
        self.banner.show_error(message)
        self._job_ended(name)

    @Slot(str)
    def _on_cancelled(self, name: str) -> None:
        if library.exists(name):
            text = self.tr(
                "Indexing “{name}” was cancelled. Files indexed so far are kept; re-index to "
                "finish."
            )
        else:
            text = self.tr("Creating “{name}” was cancelled.")
        self.status_label.setText(text.format(name=name))
        self._job_ended(name)

    def _job_ended(self, name: str) -> None:
        self.refresh()
        self.select(name)
        self.kbs_changed.emit()

    # -- search ------------------------------------------------------------------------
    @Slot()
    def _on_search_clicked(self) -> None:
        self.run_search(self.search_box.text())

    def run_search(self, question: str) -> list[Passage]:
        """Search the selected knowledge base and show the ranked passages."""
        return self.search_panel.run(self.selected_name(), question)

    @property
    def results(self) -> list[Passage]:
        """The passages the last search showed."""
        return self.search_panel.results
