"""The task runner: results on the owner's thread, cancel, a bounded shutdown, stuck tasks kept."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from desktop_chat import tasks
from desktop_chat.tasks import TaskContext, TaskFailed, TaskRunner


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown(5)


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_done_and_progress_arrive_on_the_gui_thread_in_order(qtbot, runner: TaskRunner) -> None:
    seen: list[tuple[str, object, bool]] = []

    def work(context: TaskContext) -> str:
        assert not on_main_thread()
        for step in range(3):
            context.progress(step)
        return "result"

    task = runner.run(
        "work",
        work,
        on_done=lambda _id, value: seen.append(("done", value, on_main_thread())),
        on_progress=lambda _id, value: seen.append(("progress", value, on_main_thread())),
        on_failed=lambda _id, error: seen.append(("failed", error, on_main_thread())),
    )
    assert task is not None
    qtbot.waitUntil(lambda: any(kind == "done" for kind, _v, _m in seen), timeout=10_000)
    assert seen == [
        ("progress", 0, True),
        ("progress", 1, True),
        ("progress", 2, True),
        ("done", "result", True),
    ]
    task.join(5)
    assert not task.running()


def test_an_expected_error_arrives_as_raised_and_any_other_as_a_sentence(
    qtbot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[tuple[int, object, bool]] = []

    def record(task_id: int, error: object) -> None:
        errors.append((task_id, error, on_main_thread()))

    def expected(_context: TaskContext) -> None:
        raise ValueError("a sentence for the user")

    def bug(_context: TaskContext) -> None:
        raise KeyError("internal detail")

    first = runner.run("expected", expected, on_failed=record, expected=(ValueError,))
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=10_000)
    with caplog.at_level(logging.ERROR, logger="desktop_chat.tasks.runner"):
        second = runner.run("bug", bug, on_failed=record, expected=(ValueError,))
        qtbot.waitUntil(lambda: len(errors) == 2, timeout=10_000)
    assert first is not None and second is not None
    (id1, error1, main1), (id2, error2, main2) = errors
    assert (id1, str(error1), main1) == (first.id, "a sentence for the user", True)
    assert isinstance(error1, ValueError)
    assert id2 == second.id and main2
    assert isinstance(error2, TaskFailed)
    assert str(error2) == "Something went wrong. Details are in the log file."
    assert isinstance(error2.__cause__, KeyError)
    assert "internal detail" in caplog.text  # the details go to the log, not the sentence


def test_cancel_sets_the_event_runs_the_hooks_and_drops_later_progress(
    qtbot, runner: TaskRunner
) -> None:
    started = threading.Event()
    hooked = threading.Event()
    progress: list[object] = []
    done: list[object] = []

    def work(context: TaskContext) -> str:
        context.on_cancel(hooked.set)
        started.set()
        assert context.cancel.wait(10)
        context.progress("after cancel")  # dropped: a cancelled task's bar must not move
        return "stopped"

    task = runner.run(
        "cancel-me",
        work,
        on_done=lambda _id, value: done.append(value),
        on_progress=lambda _id, value: progress.append(value),
    )
    assert task is not None and started.wait(10)
    assert runner.busy()
    runner.cancel(task.id)
    assert hooked.is_set() and task.cancel_event.is_set()
    qtbot.waitUntil(lambda: done == ["stopped"], timeout=10_000)
    assert progress == []
    assert task.join(5) and not runner.busy()


def test_a_cancel_hook_added_after_cancel_runs_at_once() -> None:
    ran: list[str] = []

    def work(context: TaskContext) -> None:
        context.cancel.wait(10)
        context.on_cancel(lambda: ran.append("late hook"))

    task = tasks.spawn("late-hook", work)
    task.cancel()
    assert task.join(10)
    assert ran == ["late hook"]


def test_shutdown_cancels_joins_and_then_refuses_new_work(qtbot) -> None:
    runner = TaskRunner()
    done: list[object] = []
    task = runner.run("wait", lambda context: context.cancel.wait(30), lambda _i, v: done.append(v))
    assert task is not None
    assert task in tasks.live_tasks()
    assert runner.shutdown(10) is True
    assert not task.running() and task not in tasks.live_tasks()
    assert runner.run("late", lambda _context: None) is None
    qtbot.wait(20)  # a done callback after shutdown would arrive in this turn of the loop
    assert done == []


def test_a_task_that_will_not_stop_is_logged_reported_and_left_running(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    runner = TaskRunner()
    release = threading.Event()
    finished = threading.Event()

    def stubborn(_context: TaskContext) -> None:
        release.wait(30)  # ignores its cancel event, like a C call that cannot be interrupted
        finished.set()

    task = runner.run("stubborn", stubborn)
    assert task is not None
    try:
        with caplog.at_level(logging.WARNING, logger="desktop_chat.tasks.runner"):
            assert tasks.shutdown_all(0.05) is False
        assert "task stubborn" in caplog.text and "did not stop" in caplog.text
        # Not destroyed: the thread is still there and still registered.
        assert task.running() and task in tasks.live_tasks()
        assert runner.shutdown(0.05) is False
    finally:
        release.set()
    assert task.join(10) and finished.is_set()
    assert task not in tasks.live_tasks()


def test_a_task_whose_owner_was_deleted_still_ends_cleanly(qtbot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    task = runner.run("orphan", lambda _context: release.wait(10))
    assert task is not None
    runner.deleteLater()
    qtbot.waitUntil(lambda: _deleted(runner), timeout=5000)
    release.set()  # its result now has nowhere to go: dropped, no error in the thread
    assert task.join(10)


def _deleted(obj: object) -> bool:
    from shiboken6 import isValid

    return not isValid(obj)


def test_spawned_threads_are_registered_and_joined_by_shutdown_all() -> None:
    woke: list[str] = []
    cond = threading.Condition()
    state = {"closing": False}

    def close() -> None:
        with cond:
            state["closing"] = True
            cond.notify_all()

    def loop(context: TaskContext) -> None:
        context.on_cancel(close)  # the loop waits on a condition, not on the event
        with cond:
            cond.wait_for(lambda: state["closing"], timeout=30)
        woke.append("closed")

    task = tasks.spawn("loop", loop)
    assert task.running() and task in tasks.live_tasks()
    assert tasks.shutdown_all(10) is True
    assert woke == ["closed"] and not task.running()
