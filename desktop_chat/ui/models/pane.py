"""The Models pane: Local, Discover and Downloads tabs, the download summary, and the Hub probe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.models import hub
from desktop_chat.models.download_queue import DownloadJob, DownloadQueue, JobState
from desktop_chat.tasks import TaskRunner
from desktop_chat.ui.models.discover import DiscoverTab
from desktop_chat.ui.models.download_adapter import DownloadQueueAdapter
from desktop_chat.ui.models.downloads import DownloadsTab
from desktop_chat.ui.models.local import DEFAULT_N_CTX, LocalTab
from desktop_chat.ui.shell.banner import Banner
from desktop_chat.ui.shell.widgets import ask_yes_no, plain_label

log = logging.getLogger(__name__)


def _default_n_ctx() -> int:
    return DEFAULT_N_CTX


class ModelsPane(QWidget):
    """Find, download, import and pick models; ``shutdown()`` at exit stops its tasks.

    Nothing here touches the network until the user opens Discover (the online check), searches
    or downloads. ``n_ctx_provider`` returns the context size in settings (0: the model's own) for the
    will-it-fit check; ``download_queue`` replaces the persisted default queue (tests).
    """

    load_requested = Signal(Path)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        n_ctx_provider: Callable[[], int] | None = None,
        download_queue: DownloadQueue | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPane")
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        queue = download_queue or DownloadQueue(token=hub.get_token)
        self.adapter = DownloadQueueAdapter(queue, self)
        self.online: bool | None = None
        self._probe_id = -1
        self._closed = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = plain_label(self.tr("Models"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.offline_banner = Banner(self)
        self.offline_banner.setObjectName("banner")
        layout.addWidget(self.offline_banner)
        self.summary = plain_label()
        self.summary.setObjectName("downloadSummary")
        self.summary.hide()
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("modelsTabs")
        self.local = LocalTab(self, n_ctx_provider or _default_n_ctx)
        self.discover = DiscoverTab(self)
        self.downloads = DownloadsTab(self.adapter, self)
        self.tabs.addTab(self.local, self.tr("Local"))
        self.tabs.addTab(self.discover, self.tr("Discover"))
        self.tabs.addTab(self.downloads, self.tr("Downloads"))
        layout.addWidget(self.tabs, 1)

        self.local.load_requested.connect(self.load_requested)
        self.downloads.summary_changed.connect(self._on_summary)
        self.downloads.count_changed.connect(self._on_download_count)
        self.adapter.changed.connect(self._on_job_changed)
        self.offline_banner.action_clicked.connect(self._on_offline_action)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self.downloads.update_summary()
        self.adapter.start()  # jobs saved by the last run show again and carry on
        self.refresh()

    # -- API used by the app ------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        self.local.refresh()

    def set_current(self, path: Path | None) -> None:
        self.local.set_current(path)

    @Slot()
    def shutdown(self) -> None:
        """Cancel and join every background job and stop the download queue (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.adapter.shutdown()  # first: a download stopped now resumes next time
        self.runner.shutdown()

    # -- replaceable questions (tests swap these) ---------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text)

    def ask_import_mode(self, count: int) -> str | None:
        """ "copy", "link", or None when the user cancels."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Import models"))
        box.setText(self.tr("How should the app keep the %n model file(s)?", "", count))
        box.setInformativeText(
            self.tr(
                "Copy puts a copy in the models folder: it keeps working if the original "
                "moves, but uses the disk space twice. Link uses the file where it is: no "
                "copy, but the model disappears from the list if the file moves."
            )
        )
        copy = box.addButton(
            self.tr("Copy into the models folder"), QMessageBox.ButtonRole.AcceptRole
        )
        link = box.addButton(self.tr("Link in place"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(copy)
        box.exec()
        clicked = box.clickedButton()
        if clicked is copy:
            return "copy"
        if clicked is link:
            return "link"
        return None

    def choose_import_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import GGUF models"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        return [Path(n) for n in names]

    def open_url(self, url: str) -> None:
        if not QDesktopServices.openUrl(QUrl(url)):
            self.banner.show_error(self.tr("Could not open {url}.").format(url=url))

    # -- online state ----------------------------------------------------------------------

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.discover and self.online is None:
            self.check_online()  # the first look at Discover: the user now wants the Hub

    @Slot()
    def check_online(self) -> None:
        """Probe the Hub in the background (at most ~1.5 s, DNS included); never blocks."""
        if self._probe_id != -1 or self._closed:
            return
        task = self.runner.run(
            "hub-probe", lambda _context: hub.online_check(), self._on_probed, self._on_probe_failed
        )
        self._probe_id = task.id if task is not None else -1

    @Slot(int, object)
    def _on_probed(self, job_id: int, reason: object) -> None:
        if job_id != self._probe_id:
            return
        self._probe_id = -1
        if reason is not None:
            log.info("model hub unreachable: %s", reason)
        self.set_online(reason is None)

    @Slot(int, object)
    def _on_probe_failed(self, job_id: int, _error: object) -> None:
        if job_id == self._probe_id:
            self._probe_id = -1
            self.set_online(False)

    def set_online(self, online: bool) -> None:
        self.online = online
        self.discover.set_online(online)
        if online:
            self.offline_banner.hide()
        else:
            self.offline_banner.show_info(
                self.tr(
                    "Offline — local models only. The model hub ({endpoint}) cannot be reached; "
                    "your models here work as usual."
                ).format(endpoint=hub.endpoint()),
                self.tr("Try again"),
                "retry",
            )

    @Slot(str)
    def _on_offline_action(self, _action: str) -> None:
        self.check_online()

    # -- downloads ----------------------------------------------------------------------------

    @Slot(object)
    def _on_job_changed(self, job: DownloadJob) -> None:
        if job.state is JobState.DONE:
            self.local.refresh()

    @Slot(str)
    def _on_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setVisible(bool(text))

    @Slot(int)
    def _on_download_count(self, count: int) -> None:
        index = self.tabs.indexOf(self.downloads)
        label = self.tr("Downloads")
        self.tabs.setTabText(index, f"{label} ({count})" if count else label)

    # -- drag and drop ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(_is_gguf(url) for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if _is_gguf(url)]
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.tabs.setCurrentWidget(self.local)
        self.local.import_files(files)


def _is_gguf(url: QUrl) -> bool:
    return url.isLocalFile() and url.toLocalFile().lower().endswith(".gguf")
