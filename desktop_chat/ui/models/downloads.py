"""The Downloads tab: every queued file with progress, speed, time left, and its controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.models.download import Progress
from desktop_chat.models.download_queue import DownloadJob, JobState
from desktop_chat.ui.models.download_adapter import DownloadQueueAdapter
from desktop_chat.ui.models.format import human_size, speed_text, time_left
from desktop_chat.ui.shell.widgets import plain_label, plain_tooltip

ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class JobActions(QWidget):
    """Pause / Resume / Retry / Cancel / Remove buttons for one row."""

    triggered = Signal(str, str)  # job id, action

    def __init__(self, job_id: str) -> None:
        super().__init__()
        self.job_id = job_id
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.retry_button = QPushButton(self.tr("Retry"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.remove_button = QPushButton(self.tr("Remove"))
        for button in (
            self.pause_button, self.resume_button, self.retry_button, self.cancel_button,
            self.remove_button,
        ):  # fmt: skip
            button.setObjectName("downloadAction")
            row.addWidget(button)
        row.addStretch(1)
        self.pause_button.clicked.connect(self._pause)
        self.resume_button.clicked.connect(self._resume)
        self.retry_button.clicked.connect(self._resume)
        self.cancel_button.clicked.connect(self._cancel)
        self.remove_button.clicked.connect(self._remove)

    def show_for(self, state: JobState) -> None:
        self.pause_button.setVisible(state in ACTIVE)
        self.resume_button.setVisible(state is JobState.PAUSED)
        self.retry_button.setVisible(state is JobState.FAILED)
        self.cancel_button.setVisible(state in (*ACTIVE, JobState.PAUSED, JobState.FAILED))
        self.remove_button.setVisible(state in (JobState.DONE, JobState.CANCELLED))

    @Slot()
    def _pause(self) -> None:
        self.triggered.emit(self.job_id, "pause")

    @Slot()
    def _resume(self) -> None:
        self.triggered.emit(self.job_id, "resume")

    @Slot()
    def _cancel(self) -> None:
        self.triggered.emit(self.job_id, "cancel")

    @Slot()
    def _remove(self) -> None:
        self.triggered.emit(self.job_id, "remove")


class DownloadsTab(QWidget):
    """Rows follow the adapter's GUI-thread signals; ``summary_changed`` feeds the pane."""

    summary_changed = Signal(str)
    count_changed = Signal(int)
    COLUMNS = ("File", "Progress", "Downloaded", "Speed", "Time left", "State", "")

    def __init__(self, adapter: DownloadQueueAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.rows: dict[str, QTreeWidgetItem] = {}
        self.bars: dict[str, QProgressBar] = {}
        self.actions: dict[str, JobActions] = {}
        self.jobs: dict[str, DownloadJob] = {}
        self.progress: dict[str, Progress] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.hint = plain_label(self.tr("Nothing is downloading. Pick a model in Discover."))
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        self.tree = QTreeWidget()
        self.tree.setObjectName("downloadList")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 160)
        layout.addWidget(self.tree, 1)

        adapter.changed.connect(self._on_changed)
        adapter.progress.connect(self._on_progress)
        for job in adapter.jobs():
            self._on_changed(job)

    @Slot(object)
    def _on_changed(self, job: DownloadJob) -> None:
        self.jobs[job.id] = job
        item = self.rows.get(job.id)
        if item is None:
            item = self._add_row(job)
        bar = self.bars[job.id]
        total = job.size or 0
        if job.state is JobState.DONE:
            bar.setRange(0, 100)
            bar.setValue(100)
            self.progress.pop(job.id, None)
        elif job.state is JobState.CANCELLED:
            bar.setValue(0)
            self.progress.pop(job.id, None)
        elif job.id not in self.progress and total:
            bar.setValue(int(job.done_bytes * 100 / total))
        done = total if job.state is JobState.DONE else job.done_bytes
        if job.id not in self.progress or job.state is not JobState.RUNNING:
            item.setText(2, self._bytes_text(done, job.size))
            item.setText(3, "")
            item.setText(4, "")
        item.setText(5, self._state_text(job.state))
        self.actions[job.id].show_for(job.state)
        self._show_error(item, job.error if job.state is JobState.FAILED else None)
        self.update_summary()

    @Slot(str, object)
    def _on_progress(self, job_id: str, progress: Progress) -> None:
        item = self.rows.get(job_id)
        if item is None:
            return
        self.progress[job_id] = progress
        bar = self.bars[job_id]
        if progress.total:
            bar.setRange(0, 100)
            bar.setValue(int(progress.done * 100 / progress.total))
        else:
            bar.setRange(0, 0)  # busy indicator: the server did not say how big
        item.setText(2, self._bytes_text(progress.done, progress.total))
        item.setText(3, speed_text(progress.speed))
        item.setText(4, time_left(progress.eta))
        self.update_summary()

    def _add_row(self, job: DownloadJob) -> QTreeWidgetItem:
        item = QTreeWidgetItem([job.name])
        item.setToolTip(0, plain_tooltip(f"{job.repo_id or ''}\n{job.url}".strip()))
        self.tree.addTopLevelItem(item)
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setTextVisible(True)
        self.tree.setItemWidget(item, 1, bar)
        actions = JobActions(job.id)
        actions.triggered.connect(self._on_action)
        self.tree.setItemWidget(item, 6, actions)
        self.rows[job.id] = item
        self.bars[job.id] = bar
        self.actions[job.id] = actions
        self.hint.hide()
        return item

    def _show_error(self, item: QTreeWidgetItem, error: str | None) -> None:
        item.takeChildren()
        if error:
            child = QTreeWidgetItem([error])
            child.setToolTip(0, plain_tooltip(error))
            item.addChild(child)
            child.setFirstColumnSpanned(True)
            item.setExpanded(True)

    def _bytes_text(self, done: int, total: int | None) -> str:
        if total:
            return self.tr("{done} of {total}").format(
                done=human_size(done), total=human_size(total)
            )
        return human_size(done)

    def _state_text(self, state: JobState) -> str:
        return {
            JobState.QUEUED: self.tr("Waiting"),
            JobState.RUNNING: self.tr("Downloading"),
            JobState.PAUSED: self.tr("Paused"),
            JobState.DONE: self.tr("Done"),
            JobState.FAILED: self.tr("Failed"),
            JobState.CANCELLED: self.tr("Cancelled"),
        }[state]

    @Slot(str, str)
    def _on_action(self, job_id: str, action: str) -> None:
        if action == "pause":
            self.adapter.pause(job_id)
        elif action == "resume":
            self.adapter.resume(job_id)
        elif action == "cancel":
            self.adapter.cancel(job_id)
        elif action == "remove":
            self.remove_row(job_id)

    def remove_row(self, job_id: str) -> None:
        item = self.rows.pop(job_id, None)
        if item is None:
            return
        self.bars.pop(job_id, None)
        self.actions.pop(job_id, None)
        self.jobs.pop(job_id, None)
        self.progress.pop(job_id, None)
        self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self.hint.setVisible(not self.rows)
        self.update_summary()

    def error_text(self, job_id: str) -> str:
        item = self.rows.get(job_id)
        if item is None or item.childCount() == 0:
            return ""
        return item.child(0).text(0)

    def update_summary(self) -> None:
        jobs = list(self.jobs.values())
        active = [j for j in jobs if j.state in ACTIVE]
        self.count_changed.emit(len(active) + sum(j.state is JobState.PAUSED for j in jobs))
        running = next((j for j in jobs if j.state is JobState.RUNNING), None)
        waiting = sum(j.state is JobState.QUEUED for j in jobs)
        parts: list[str] = []
        if running is not None:
            progress = self.progress.get(running.id)
            parts.append(self.tr("Downloading {name}…").format(name=running.name))
            if progress is not None:
                if progress.total:
                    parts.append(f"{progress.done * 100 // progress.total} %")
                parts.append(speed_text(progress.speed))
                if progress.eta is not None:
                    parts.append(time_left(progress.eta))
        if waiting:
            parts.append(self.tr("{n} waiting").format(n=waiting))
        paused = sum(j.state is JobState.PAUSED for j in jobs)
        if paused and running is None and not waiting:
            parts.append(self.tr("{n} paused").format(n=paused))
        failed = sum(j.state is JobState.FAILED for j in jobs)
        if failed:
            parts.append(self.tr("{n} failed — see Downloads").format(n=failed))
        self.summary_changed.emit(" · ".join(parts))
