"""The engine worker with a real model: streaming, stop, abort, ordering, bad files, formats."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams, StopReason
from desktop_chat.engine.worker import EngineWorker
from tests.engine.conftest import load
from tests.engine.gguf_template import with_chat_template


class Recorder:
    """Collects every event of a client in the order the GUI thread received them."""

    def __init__(self, client: EngineClient) -> None:
        self.events: list[tuple[str, int, object]] = []
        client.started.connect(lambda i, info: self.events.append(("started", i, info)))
        client.chunk.connect(lambda i, text: self.events.append(("chunk", i, text)))
        client.finished.connect(lambda i, stats: self.events.append(("finished", i, stats)))
        client.cancelled.connect(lambda i, stats: self.events.append(("cancelled", i, stats)))
        client.failed.connect(lambda i, message: self.events.append(("failed", i, message)))

    def of(self, request_id: int) -> list[tuple[str, object]]:
        return [(kind, payload) for kind, i, payload in self.events if i == request_id]

    def terminal(self, request_id: int) -> list[str]:
        return [k for k, _ in self.of(request_id) if k in ("finished", "cancelled", "failed")]

    def text(self, request_id: int) -> str:
        return "".join(str(p) for k, p in self.of(request_id) if k == "chunk")


def ask(text: str, **gen) -> ChatRequest:
    return ChatRequest(
        history=(ChatMessage("user", text),),
        system="You are a helpful assistant.",
        gen=GenParams(seed=gen.pop("seed", 11), **gen),
    )


def wait_terminal(qtbot, recorder: Recorder, request_id: int, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: bool(recorder.terminal(request_id)), timeout=timeout)


def test_streaming_arrives_in_order_with_exactly_one_terminal_event(qtbot, smollm_client):
    recorder = Recorder(smollm_client)
    request_id = smollm_client.generate(ask("Write three sentences about the sea.", max_tokens=48))
    wait_terminal(qtbot, recorder, request_id)
    kinds = [k for k, _ in recorder.of(request_id)]
    assert kinds[0] == "started"
    assert kinds[-1] == "finished"
    assert kinds.count("finished") == 1
    assert set(kinds[1:-1]) == {"chunk"}
    stats = recorder.of(request_id)[-1][1]
    assert stats.completion_tokens > 0 and stats.ttft_s > 0
    assert recorder.text(request_id).strip()


def test_same_seed_gives_the_same_answer(qtbot, smollm_client):
    recorder = Recorder(smollm_client)
    first = smollm_client.generate(ask("Name a fruit.", max_tokens=16, seed=5))
    wait_terminal(qtbot, recorder, first)
    second = smollm_client.generate(ask("Name a fruit.", max_tokens=16, seed=5))
    wait_terminal(qtbot, recorder, second)
    assert recorder.text(first) == recorder.text(second)


def test_stop_mid_generation_ends_quickly_and_the_next_turn_works(qtbot, smollm_client):
    recorder = Recorder(smollm_client)
    request_id = smollm_client.generate(ask("Count from one to two hundred.", max_tokens=400))
    qtbot.waitUntil(lambda: len(recorder.text(request_id)) > 0, timeout=180_000)
    smollm_client.stop(request_id)
    wait_terminal(qtbot, recorder, request_id)
    assert recorder.terminal(request_id) == ["cancelled"]
    stats = recorder.of(request_id)[-1][1]
    assert stats.stop_reason == StopReason.STOPPED
    assert stats.completion_tokens < 400
    follow_up = smollm_client.generate(ask("Say hello.", max_tokens=8))
    wait_terminal(qtbot, recorder, follow_up)
    assert recorder.terminal(follow_up) == ["finished"]


class SetDuringEvaluation(threading.Event):
    """A stop that lands inside prompt evaluation every time, however fast the machine: it
    turns itself on once llama.cpp's abort callback, which only evaluation polls, has asked."""

    def __init__(self, after_polls: int) -> None:
        super().__init__()
        self.after_polls = after_polls
        self.polls = 0

    def is_set(self) -> bool:
        self.polls += 1
        if self.polls > self.after_polls:
            self.set()
        return super().is_set()


def test_stop_during_a_long_prompt_evaluation_aborts_it(qtbot, smollm_path):
    worker = EngineWorker()  # driven on this thread: each call returns when the work is done
    try:
        worker.load(1, LoadParams(path=smollm_path, n_ctx=4096, n_batch=64))
        recorder = Recorder(worker)  # type: ignore[arg-type]
        long_text = " ".join(f"Sentence {i} talks about apples and pears." for i in range(330))
        # The worker and the stream ask twice before evaluation starts; evaluation asks
        # per graph node of each of its ~50 batches.
        abort = SetDuringEvaluation(after_polls=20)
        worker.generate(2, ask(long_text, max_tokens=8), abort)
        assert recorder.of(2)[0][1].prompt_tokens > 3000
        assert recorder.terminal(2) == ["cancelled"]
        assert recorder.text(2) == ""  # no token was produced: the evaluation was cut
        assert recorder.of(2)[-1][1].stop_reason == StopReason.STOPPED
        worker.generate(3, ask("Say hi.", max_tokens=8), threading.Event())
        assert recorder.terminal(3) == ["finished"]
    finally:
        worker.close()


def test_two_quick_sends_never_interleave(qtbot, smollm_client):
    recorder = Recorder(smollm_client)
    first = smollm_client.generate(ask("Tell me a long story about a cat.", max_tokens=200))
    second = smollm_client.generate(ask("Tell me about dogs.", max_tokens=24))
    wait_terminal(qtbot, recorder, second)
    order = [(kind, i) for kind, i, _ in recorder.events]
    first_positions = [n for n, (_, i) in enumerate(order) if i == first]
    second_positions = [n for n, (_, i) in enumerate(order) if i == second]
    assert max(first_positions) < min(second_positions)
    assert recorder.terminal(first) == ["cancelled"]
    assert recorder.terminal(second) == ["finished"]


def test_bad_files_give_clear_errors_and_a_good_model_loads_after(
    qtbot, client, tmp_path, smollm_path
):
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("these are my notes, not a model")
    truncated = tmp_path / "truncated.gguf"
    with smollm_path.open("rb") as source, truncated.open("wb") as target:
        target.write(source.read(5_000_000))
    missing = tmp_path / "gone.gguf"
    for bad, words in ((not_gguf, "not a GGUF"), (truncated, "truncated"), (missing, "is missing")):
        with qtbot.waitSignal(client.model_load_failed, timeout=30_000) as blocker:
            client.load(LoadParams(path=bad))
        message = blocker.args[1]
        assert words.lower() in message.lower(), message
        assert "Traceback" not in message
    load(qtbot, client, smollm_path)
    assert client.model is not None and client.model.path == smollm_path


def test_gemma_base_model_without_template_gets_the_gemma_format(qtbot, client, gemma_path):
    load(qtbot, client, gemma_path)
    assert client.model is not None
    assert client.model.chat_format == "gemma"
    assert client.model.template_source == "architecture"
    recorder = Recorder(client)
    request_id = client.generate(ask("What is the capital of France?", max_tokens=16))
    wait_terminal(qtbot, recorder, request_id)
    assert recorder.terminal(request_id) == ["finished"]
    assert "[INST]" not in recorder.text(request_id)


def test_model_files_outside_ascii_paths_load(qtbot, client, tmp_path, smollm_path):
    folder = tmp_path / "模型 folder"
    folder.mkdir()
    copy = folder / "smol 模型.gguf"
    shutil.copy(smollm_path, copy)
    load(qtbot, client, copy)
    assert client.model is not None and client.model.path == Path(copy)


def test_a_hostile_template_falls_back_and_another_model_loads_after(
    qtbot, client, tmp_path, smollm_path, caplog
):
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    hostile = with_chat_template(smollm_path, tmp_path / "hostile.gguf", nested)
    caplog.set_level(logging.WARNING, logger="desktop_chat.engine.worker")
    load(qtbot, client, hostile)
    assert client.model is not None and client.model.path == hostile
    assert client.model.template_source == "tokens"  # the fallback, not the file's template
    assert client.model.chat_format == "chatml"
    notes = [r.getMessage() for r in caplog.records if "chat template is broken" in r.getMessage()]
    assert len(notes) == 1 and "was stopped" in notes[0], notes
    # The same sentence reaches the window (app.py shows it in the chat's banner).
    assert "chat template is broken" in client.model.format_note
    recorder = Recorder(client)
    request_id = client.generate(ask("Say hi.", max_tokens=8))
    wait_terminal(qtbot, recorder, request_id)
    assert recorder.terminal(request_id) == ["finished"]
    load(qtbot, client, smollm_path)
    assert client.model is not None and client.model.path == smollm_path
    assert client.model.template_source == "gguf"
    assert client.model.format_note == ""
