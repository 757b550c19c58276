"""The one way to run background work: a function off the GUI thread, results back on it."""

from desktop_chat.tasks.runner import (
    Task,
    TaskContext,
    TaskFailed,
    TaskRunner,
    live_tasks,
    shutdown_all,
    spawn,
)

__all__ = ["Task", "TaskContext", "TaskFailed", "TaskRunner", "live_tasks", "shutdown_all", "spawn"]
