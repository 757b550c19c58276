"""DownloadQueueAdapter: queue-thread callbacks arrive as throttled signals on the GUI thread."""

from __future__ import annotations

import threading

from desktop_chat.models.download import Progress
from desktop_chat.models.download_queue import DownloadQueue, JobState
from desktop_chat.ui.models.download_adapter import DownloadQueueAdapter


def test_callbacks_from_another_thread_arrive_on_the_gui_thread_throttled(qtbot) -> None:
    adapter = DownloadQueueAdapter(DownloadQueue(), interval_s=10.0)
    try:
        job_id = adapter.add("http://127.0.0.1:9/org/r/resolve/main/a.gguf", "a.gguf", size=100)
        adapter.queue._jobs[job_id] = adapter.queue._jobs[job_id].__class__(
            **{**adapter.queue._jobs[job_id].__dict__, "state": JobState.RUNNING}
        )
        seen: list[tuple[int, bool]] = []
        adapter.progress.connect(
            lambda _id, p: seen.append(
                (p.done, threading.current_thread() is threading.main_thread())
            )
        )

        def flood() -> None:
            for done in range(1, 51):
                adapter.queue.on_progress(job_id, Progress(done, 100, 1.0, 1.0))  # type: ignore[misc]
            adapter.queue.on_progress(job_id, Progress(100, 100, 1.0, 0.0))  # type: ignore[misc]

        worker = threading.Thread(target=flood)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
        # The first report and the last one (complete) pass; the 49 in between are dropped.
        assert seen == [(1, True), (100, True)]
    finally:
        adapter.shutdown()


def test_changes_are_reemitted_on_the_gui_thread(qtbot) -> None:
    adapter = DownloadQueueAdapter(DownloadQueue())
    try:
        with qtbot.waitSignal(adapter.changed, timeout=2000) as blocker:
            threading.Thread(
                target=adapter.add,
                args=("http://127.0.0.1:9/org/r/resolve/main/b.gguf", "b.gguf"),
            ).start()
        assert blocker.args[0].name == "b.gguf"
    finally:
        adapter.shutdown()
