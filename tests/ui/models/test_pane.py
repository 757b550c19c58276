"""The Models pane with real files and the fake Hub: list, import, delete, load, offline, downloads."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_chat import paths, tasks
from desktop_chat.models import fit, hub
from desktop_chat.models.download import Progress, part_path
from desktop_chat.models.download_queue import DownloadQueue, JobState
from desktop_chat.ui.models.pane import ModelsPane
from tests.fakes import fake_hub as fakes
from tests.fakes.fake_hub import FakeHub, SilentPort, closed_port_url, payload, sha256
from tests.models.gguf_factory import write_tiny_gguf

fake_hub = fakes.fake_hub  # the fixtures tests/models uses, shared from tests/fakes
silent_port = fakes.silent_port

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

REPO = "org/tiny-GGUF"
OFFLINE = "Offline — local models only"


def fast_queue() -> DownloadQueue:
    return DownloadQueue(download_options={"backoff_base": 0.01, "read_timeout": 2.0})


@pytest.fixture
def make_pane(qtbot) -> Iterator[Callable[..., ModelsPane]]:
    panes: list[ModelsPane] = []

    def make(**kwargs: object) -> ModelsPane:
        kwargs.setdefault("download_queue", fast_queue())
        pane = ModelsPane(**kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(pane)
        panes.append(pane)
        return pane

    yield make
    for pane in panes:
        pane.shutdown()
    assert tasks.live_tasks() == []


def settled(qtbot, pane: ModelsPane) -> ModelsPane:
    qtbot.waitUntil(lambda: not pane.local.scanning(), timeout=10_000)
    return pane


def open_discover(qtbot, pane: ModelsPane) -> ModelsPane:
    """The user's first look at Discover: that, and only that, runs the online check."""
    pane.tabs.setCurrentWidget(pane.discover)
    qtbot.waitUntil(lambda: pane.online is not None, timeout=10_000)
    return pane


_socket_events: list[tuple[str, object]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _socket_events is not None and event in ("socket.getaddrinfo", "socket.connect"):
        _socket_events.append((event, args[0] if event == "socket.getaddrinfo" else args[1]))


_audit_installed = False


@pytest.fixture
def socket_audit() -> Iterator[list[tuple[str, object]]]:
    """Every name lookup and connect the process makes while the test runs (any thread)."""
    global _socket_events, _audit_installed
    if not _audit_installed:  # audit hooks cannot be removed: one for the whole session
        sys.addaudithook(_audit)
        _audit_installed = True
    _socket_events = []
    try:
        yield _socket_events
    finally:
        _socket_events = None


@pytest.fixture
def pane(qtbot, make_pane) -> ModelsPane:
    return settled(qtbot, make_pane())


def tiny_bytes(tmp_path: Path, name: str) -> bytes:
    return write_tiny_gguf(tmp_path / f"{name}.src", name=name).read_bytes()


# -- Local ------------------------------------------------------------------------------------


def test_starter_model_is_listed_with_its_metadata(pane: ModelsPane, smollm_path: Path) -> None:
    item = pane.local.item_for(smollm_path)
    assert item is not None
    texts = [item.text(c) for c in range(len(pane.local.COLUMNS))]
    assert "smollm2" in texts[0].lower()
    assert texts[1] == "llama"
    assert texts[2] == "135M"
    assert texts[3]
    assert texts[4].endswith("MB")
    assert texts[5] == "8,192"
    assert texts[6] == "yes"
    assert texts[7] in ("Fits", "Tight", "Too big")
    assert texts[8] == "Starter model"


def test_corrupt_file_is_listed_with_its_error_and_can_be_deleted(qtbot, make_pane) -> None:
    broken = paths.models_dir() / "broken.gguf"
    broken.write_bytes(b"this is not a model" * 20)
    pane = settled(qtbot, make_pane())
    item = pane.local.item_for(broken)
    assert item is not None
    assert item.text(1) == "Invalid file"
    assert item.childCount() == 1
    assert item.child(0).text(0) == (
        "⚠ This file is not a GGUF model: broken.gguf does not start with the GGUF signature. "
        "Choose a .gguf file."
    )
    asked: list[str] = []
    pane.confirm = lambda title, text: asked.append(text) or True  # type: ignore[method-assign]
    pane.local.tree.setCurrentItem(item)
    assert not pane.local.load_button.isEnabled()
    qtbot.mouseClick(pane.local.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "broken.gguf" in asked[0]
    assert not broken.exists()
    qtbot.waitUntil(lambda: pane.local.item_for(broken) is None, timeout=5000)


def test_starter_model_cannot_be_deleted(pane: ModelsPane, smollm_path: Path) -> None:
    pane.confirm = lambda title, text: pytest.fail("no question for the starter model")  # type: ignore[method-assign]
    assert not pane.local.delete(smollm_path)
    assert "cannot be deleted" in pane.banner.text
    assert smollm_path.exists()


def drop(pane: ModelsPane, files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    pane.dropEvent(event)


def test_import_by_copy_through_drag_and_drop(qtbot, pane: ModelsPane, tmp_path: Path) -> None:
    source = write_tiny_gguf(tmp_path / "tiny-copy.gguf", name="Tiny Copy")
    pane.ask_import_mode = lambda count: "copy"  # type: ignore[method-assign]
    drop(pane, [source])
    copied = paths.models_dir() / "tiny-copy.gguf"
    qtbot.waitUntil(lambda: pane.local.item_for(copied) is not None, timeout=10_000)
    assert source.exists() and copied.read_bytes() == source.read_bytes()
    item = pane.local.item_for(copied)
    # The file's name, as the chat's model picker shows it (not the GGUF's general.name).
    assert item is not None and item.text(0) == "tiny-copy" and item.text(8) == "Models folder"
    assert "Imported tiny-copy" in pane.banner.text


def test_import_by_link_through_the_import_button(qtbot, pane: ModelsPane, tmp_path: Path) -> None:
    source = write_tiny_gguf(tmp_path / "tiny-link.gguf", name="Tiny Link").resolve()
    pane.choose_import_files = lambda: [source]  # type: ignore[method-assign]
    pane.ask_import_mode = lambda count: "link"  # type: ignore[method-assign]
    qtbot.mouseClick(pane.local.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.local.item_for(source) is not None, timeout=10_000)
    assert not (paths.models_dir() / "tiny-link.gguf").exists()
    item = pane.local.item_for(source)
    assert item is not None and item.text(8).startswith("Linked")
    # Removing a linked model forgets it and leaves the file alone.
    pane.confirm = lambda title, text: True  # type: ignore[method-assign]
    assert pane.local.delete(source)
    qtbot.waitUntil(lambda: pane.local.item_for(source) is None, timeout=5000)
    assert source.exists()


def test_import_of_a_bad_file_says_why(qtbot, pane: ModelsPane, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 7)
    pane.ask_import_mode = lambda count: "copy"  # type: ignore[method-assign]
    assert pane.local.import_files([bad])
    qtbot.waitUntil(lambda: not pane.local.importing(), timeout=5000)
    assert pane.banner.text and not (paths.models_dir() / "bad.gguf").exists()


def test_double_click_requests_a_load(qtbot, pane: ModelsPane, smollm_path: Path) -> None:
    item = pane.local.item_for(smollm_path)
    assert item is not None
    # Qt turns a double-click into itemDoubleClicked; synthetic double-clicks are unreliable
    # offscreen, so the test starts from the signal the pane listens to.
    with qtbot.waitSignal(pane.load_requested, timeout=10_000) as blocker:
        pane.local.tree.itemDoubleClicked.emit(item, 0)
    assert blocker.args == [smollm_path]


def test_a_model_too_big_for_memory_asks_first(
    qtbot, pane: ModelsPane, smollm_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fit, "ram_available", lambda: 50 * 1024 * 1024)
    questions: list[str] = []
    answer = False

    def confirm(title: str, text: str) -> bool:
        questions.append(text)
        return answer

    pane.confirm = confirm  # type: ignore[method-assign]
    emitted: list[Path] = []
    pane.load_requested.connect(emitted.append)
    assert not pane.local.request_load(smollm_path)
    assert emitted == []
    assert "needs about" in questions[0] and "GB free. Load anyway?" in questions[0]
    answer = True
    assert pane.local.request_load(smollm_path)
    assert emitted == [smollm_path]


def test_set_current_marks_the_loaded_model(qtbot, pane: ModelsPane, smollm_path: Path) -> None:
    pane.set_current(smollm_path)
    qtbot.waitUntil(lambda: not pane.local.scanning(), timeout=5000)
    item = pane.local.item_for(smollm_path)
    assert item is not None and "(loaded)" in item.text(0) and item.font(0).bold()


# -- Offline ----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["closed", "silent"])
def test_offline_is_said_when_discover_opens_and_local_still_works(
    qtbot, make_pane, monkeypatch: pytest.MonkeyPatch, silent_port: SilentPort, where: str
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url() if where == "closed" else silent_port.url)
    pane = settled(qtbot, make_pane())
    assert pane.online is None and pane.offline_banner.isHidden()  # nothing asked yet
    open_discover(qtbot, pane)
    assert pane.online is False
    assert OFFLINE in pane.offline_banner.text
    assert not pane.discover.search_button.isEnabled()
    assert OFFLINE in pane.discover.status.text()
    assert pane.local.tree.topLevelItemCount() >= 1
    pane.refresh()
    qtbot.waitUntil(lambda: not pane.local.scanning(), timeout=5000)
    assert pane.local.tree.topLevelItemCount() >= 1


def test_the_online_check_runs_once_when_discover_is_first_opened(
    qtbot, make_pane, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    real_check = hub.online_check

    def counted() -> str | None:
        checks.append(threading.current_thread().name)
        return real_check()

    monkeypatch.setattr(hub, "online_check", counted)
    pane = settled(qtbot, make_pane())
    pane.tabs.setCurrentWidget(pane.downloads)
    pane.tabs.setCurrentWidget(pane.local)
    assert checks == [] and pane.online is None
    open_discover(qtbot, pane)
    assert pane.online is True
    assert len(checks) == 1 and checks[0].startswith("task-hub-probe")  # off the GUI thread
    pane.tabs.setCurrentWidget(pane.local)
    pane.tabs.setCurrentWidget(pane.discover)
    assert len(checks) == 1  # known now; "Try again" on the offline banner asks again


def test_building_the_window_makes_no_network_call(
    qtbot, fake_hub: FakeHub, socket_audit: list[tuple[str, object]], desktop_app
) -> None:
    """Issue 17: every start used to resolve and connect to the Hub with no user action."""
    pane = desktop_app.models
    qtbot.waitUntil(lambda: not pane.local.scanning(), timeout=10_000)
    assert socket_audit == []
    assert fake_hub.requests == []
    assert pane.online is None
    open_discover(qtbot, pane)
    assert pane.online is True
    assert ("socket.connect", ("127.0.0.1", int(fake_hub.url.rsplit(":", 1)[1]))) in socket_audit
    assert [(method, path) for method, path, _h in fake_hub.requests] == [
        ("HEAD", "/api/models")  # the probe; the fake Hub records paths without the query
    ]


# -- Discover and downloads -------------------------------------------------------------------


@pytest.fixture
def hub_repo(fake_hub: FakeHub, tmp_path: Path) -> dict[str, bytes]:
    files = {
        "tiny-Q4_0.gguf": tiny_bytes(tmp_path, "Tiny Q4"),
        "tiny-Q8_0.gguf": tiny_bytes(tmp_path, "Tiny Q8"),
        "big-Q4_0.gguf": payload(2_000_000, 3),
    }
    fake_hub.add_repo(REPO, files, downloads=10)
    fake_hub.add_repo("other/tiny-chat-GGUF", {"x-Q4_K_M.gguf": b"x" * 100}, downloads=5)
    return files


@pytest.fixture
def online_pane(qtbot, make_pane, hub_repo: dict[str, bytes]) -> ModelsPane:
    pane = open_discover(qtbot, settled(qtbot, make_pane()))
    assert pane.online is True
    return pane


def test_search_list_files_and_download_into_local(
    qtbot, online_pane: ModelsPane, hub_repo: dict[str, bytes]
) -> None:
    pane, discover = online_pane, online_pane.discover
    discover.page_size = 1
    discover.search_box.setText("tiny")
    qtbot.mouseClick(discover.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: discover.results_group.childCount() == 1, timeout=10_000)
    assert discover.results_group.child(0).text(0) == REPO  # most downloaded first
    assert not discover.more_button.isHidden()
    qtbot.mouseClick(discover.more_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: discover.results_group.childCount() == 2, timeout=10_000)

    discover.repos.setCurrentItem(discover.results_group.child(0))
    qtbot.waitUntil(lambda: discover.files.topLevelItemCount() == 3, timeout=10_000)
    recommended = [
        discover.files.topLevelItem(i)
        for i in range(3)
        if "Recommended" in discover.files.topLevelItem(i).text(4)
    ]
    assert [i.text(0) for i in recommended] == ["tiny-Q8_0.gguf"]
    assert recommended[0].text(1) == "Q8_0" and recommended[0].text(3) == "Fits"

    opened: list[str] = []
    pane.open_url = opened.append  # type: ignore[method-assign]
    qtbot.mouseClick(discover.card_button, Qt.MouseButton.LeftButton)
    assert opened == [f"{hub.endpoint()}/{REPO}"]

    on_gui_thread: list[bool] = []
    pane.adapter.progress.connect(
        lambda _id, _p: on_gui_thread.append(threading.current_thread() is threading.main_thread())
    )
    discover.files.setCurrentItem(recommended[0])
    qtbot.mouseClick(discover.download_button, Qt.MouseButton.LeftButton)
    target = paths.models_dir() / "tiny-Q8_0.gguf"
    qtbot.waitUntil(lambda: pane.local.item_for(target) is not None, timeout=15_000)
    assert target.read_bytes() == hub_repo["tiny-Q8_0.gguf"]
    assert on_gui_thread and all(on_gui_thread)
    item = pane.local.item_for(target)
    assert item is not None and item.text(0) == "tiny-Q8_0"


def add_job(pane: ModelsPane, name: str, data: bytes) -> str:
    return pane.adapter.add(
        hub.file_url(REPO, name), name, sha256=sha256(data), size=len(data), repo_id=REPO
    )


def state_of(pane: ModelsPane, job_id: str) -> JobState | None:
    job = pane.downloads.jobs.get(job_id)
    return job.state if job else None


def test_pause_resume_and_cancel_a_slow_download(
    qtbot, online_pane: ModelsPane, fake_hub: FakeHub, hub_repo: dict[str, bytes]
) -> None:
    pane = online_pane
    fake_hub.throttle_s = 0.05  # 2 MB in 64 KiB slices: about 1.6 s
    # An interval longer than the test: only a job's first and its final report may pass.
    pane.adapter._interval_s = 3600.0
    reports: list[int] = []
    to_adapter = pane.adapter.queue.on_progress
    assert to_adapter is not None

    def counting(job_id: str, p: Progress) -> None:
        reports.append(p.done)
        to_adapter(job_id, p)

    pane.adapter.queue.on_progress = counting
    progress: list[Progress] = []
    pane.adapter.progress.connect(lambda _id, p: progress.append(p))
    job_id = add_job(pane, "big-Q4_0.gguf", hub_repo["big-Q4_0.gguf"])
    qtbot.waitUntil(lambda: len(progress) >= 1 and len(reports) >= 3, timeout=10_000)
    qtbot.waitUntil(lambda: pane.summary.text().startswith("Downloading big-Q4_0.gguf…"))
    assert "%" in pane.summary.text()
    actions = pane.downloads.actions[job_id]
    qtbot.mouseClick(actions.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(pane, job_id) is JobState.PAUSED, timeout=5000)
    dest = paths.models_dir() / "big-Q4_0.gguf"
    qtbot.waitUntil(lambda: pane.adapter.queue._current is None, timeout=5000)
    assert part_path(dest).exists() and not dest.exists()
    assert pane.downloads.rows[job_id].text(5) == "Paused"
    assert actions.resume_button.isVisibleTo(actions) and not actions.pause_button.isVisibleTo(
        actions
    )

    fake_hub.throttle_s = 0.0
    qtbot.mouseClick(actions.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(pane, job_id) is JobState.DONE, timeout=15_000)
    assert dest.read_bytes() == hub_repo["big-Q4_0.gguf"]
    assert fake_hub.file_requests("big-Q4_0.gguf")[-1].get("Range", "").startswith("bytes=")
    qtbot.waitUntil(lambda: bool(progress) and progress[-1].done == len(hub_repo["big-Q4_0.gguf"]))
    # Throttled: of all the queue's reports only the first and the complete one became signals.
    assert len(reports) >= 4
    assert [p.done for p in progress] == [reports[0], len(hub_repo["big-Q4_0.gguf"])]

    dest.unlink()
    fake_hub.throttle_s = 0.05
    second = add_job(pane, "big-Q4_0.gguf", hub_repo["big-Q4_0.gguf"])
    qtbot.waitUntil(lambda: state_of(pane, second) is JobState.RUNNING, timeout=5000)
    qtbot.waitUntil(lambda: part_path(dest).exists(), timeout=5000)
    qtbot.mouseClick(pane.downloads.actions[second].cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: state_of(pane, second) is JobState.CANCELLED, timeout=5000)
    qtbot.waitUntil(lambda: not part_path(dest).exists(), timeout=5000)
    assert not dest.exists()


def test_wrong_bytes_show_the_checksum_sentence_and_no_file(
    qtbot, online_pane: ModelsPane, fake_hub: FakeHub, hub_repo: dict[str, bytes]
) -> None:
    pane = online_pane
    fake_hub.fail_next("tiny-Q4_0.gguf", "wrong")
    job_id = add_job(pane, "tiny-Q4_0.gguf", hub_repo["tiny-Q4_0.gguf"])
    qtbot.waitUntil(lambda: state_of(pane, job_id) is JobState.FAILED, timeout=10_000)
    assert "checksum does not match" in pane.downloads.error_text(job_id)
    assert "1 failed" in pane.summary.text()
    dest = paths.models_dir() / "tiny-Q4_0.gguf"
    assert not dest.exists() and not part_path(dest).exists()
    assert pane.local.item_for(dest) is None
    # Retry fetches a good copy this time.
    actions = pane.downloads.actions[job_id]
    qtbot.mouseClick(actions.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.local.item_for(dest) is not None, timeout=10_000)
    assert pane.downloads.error_text(job_id) == ""


def test_a_missing_file_says_404(
    qtbot, online_pane: ModelsPane, fake_hub: FakeHub, hub_repo: dict[str, bytes]
) -> None:
    job_id = online_pane.adapter.add(hub.file_url(REPO, "gone-Q4_0.gguf"), "gone-Q4_0.gguf")
    qtbot.waitUntil(lambda: state_of(online_pane, job_id) is JobState.FAILED, timeout=10_000)
    assert "404" in online_pane.downloads.error_text(job_id)


def test_shutdown_joins_every_thread_and_the_queue_comes_back(
    qtbot,
    make_pane,
    fake_hub: FakeHub,
    hub_repo: dict[str, bytes],
    silent_port: SilentPort,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = settled(qtbot, make_pane())
    fake_hub.throttle_s = 0.2
    running = add_job(pane, "big-Q4_0.gguf", hub_repo["big-Q4_0.gguf"])
    paused = add_job(pane, "tiny-Q4_0.gguf", hub_repo["tiny-Q4_0.gguf"])
    pane.adapter.pause(paused)
    qtbot.waitUntil(lambda: state_of(pane, running) is JobState.RUNNING, timeout=5000)
    # A probe against a hung server is in flight while the app closes.
    monkeypatch.setenv("HF_ENDPOINT", silent_port.url)
    pane.online = None
    pane.check_online()
    pane.local.refresh()
    live = tasks.live_tasks()
    names = sorted(t.name for t in live)
    assert "hub-probe" in names and "model-downloads" in names
    pane.shutdown()
    assert not any(task.running() for task in live)
    assert tasks.live_tasks() == []
    queue_task = pane.adapter.queue.task
    assert queue_task is not None and not queue_task.running()
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)

    again = settled(qtbot, make_pane())
    assert state_of(again, paused) is JobState.PAUSED
    assert again.downloads.rows[paused].text(5) == "Paused"
    qtbot.waitUntil(lambda: state_of(again, running) is JobState.RUNNING, timeout=5000)
    assert "Downloads (2)" in again.tabs.tabText(2)


def test_the_access_token_is_kept_for_the_session_without_a_keyring(
    pane: ModelsPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr(hub, "save_token", lambda _token: False)  # a machine without a keyring
    message = pane.discover.edit_token("hf_secret")
    assert message == "There is no system keyring, so the token is used until you close the app."
    assert hub.get_token() == "hf_secret"
    assert "hf_secret" not in "".join(
        p.read_text(errors="ignore") for p in paths.config_dir().rglob("*") if p.is_file()
    )
    assert "forgotten" in pane.discover.edit_token("")
    assert hub.get_token() is None
