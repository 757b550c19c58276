"""App exit: the window's shutdown path cancels and joins every task, whoever started it."""

from __future__ import annotations

import threading

from desktop_chat import tasks
from desktop_chat.tasks import TaskContext, TaskRunner


def test_app_shutdown_stops_every_task_with_a_bound(qtbot, qapp) -> None:
    from desktop_chat.app import DesktopChat

    app = DesktopChat(qapp)
    qtbot.addWidget(app.window)
    stray = TaskRunner()  # an owner that never shuts itself down
    woke = threading.Event()

    def wait_for_cancel(context: TaskContext) -> None:
        context.cancel.wait(60)
        woke.set()

    task = stray.run("stray", wait_for_cancel)
    loop = tasks.spawn("stray-loop", lambda context: context.cancel.wait(60))
    assert task is not None and task.running() and loop.running()
    app.window.close()
    app.shutdown()
    assert woke.is_set() and not task.running() and not loop.running()
    assert tasks.live_tasks() == []
