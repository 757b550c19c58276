"""The OpenAI-compatible routes through the official openai client and raw HTTP, real model."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import openai
import pytest
from PySide6.QtCore import QObject, Signal, Slot

from desktop_chat.server import request_log
from desktop_chat.server.config import ServerConfig, ServerConfigError
from desktop_chat.server.service import ApiServer
from tests.server.conftest import openai_client

QUESTION = [{"role": "user", "content": "Name three colours."}]
WAIT_MS = 120_000


def _records() -> list[dict[str, Any]]:
    return request_log.recent()


def test_models_lists_the_loaded_model_and_the_embedder(serve: Any) -> None:
    client = openai_client(serve())
    models = client.models.list().data
    assert [m.id for m in models] == ["SmolLM2-135M-Instruct.Q4_1", "usem3-v3"]


def test_embeddings_through_the_openai_client(serve: Any) -> None:
    import math

    client = openai_client(serve())
    answer = client.embeddings.create(
        model="usem3-v3", input=["Where is my parcel?", "我的包裹在哪里？"]
    )
    assert [item.index for item in answer.data] == [0, 1]
    first, second = (item.embedding for item in answer.data)
    assert len(first) == 512 and math.isclose(sum(x * x for x in first), 1.0, rel_tol=1e-3)
    assert sum(a * b for a, b in zip(first, second, strict=True)) > 0.5  # same meaning
    plain = client.embeddings.create(model="", input="hello", encoding_format="float")
    assert len(plain.data[0].embedding) == 512
    with pytest.raises(openai.NotFoundError):
        client.embeddings.create(model="text-embedding-3-small", input="hello")
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="", input=[])


def test_chat_not_streamed(serve: Any) -> None:
    client = openai_client(serve())
    answer = client.chat.completions.create(model="", messages=QUESTION, max_tokens=24, seed=3)
    assert answer.object == "chat.completion"
    assert answer.choices[0].message.role == "assistant"
    assert answer.choices[0].message.content
    assert answer.usage is not None and answer.usage.completion_tokens > 0
    assert answer.choices[0].finish_reason in ("stop", "length")


def test_chat_streamed_matches_the_whole_answer(serve: Any) -> None:
    client = openai_client(serve())
    whole = client.chat.completions.create(
        model="SmolLM2-135M-Instruct.Q4_1", messages=QUESTION, max_tokens=24, temperature=0
    )
    stream = client.chat.completions.create(
        model="SmolLM2-135M-Instruct.Q4_1",
        messages=QUESTION,
        max_tokens=24,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces, finish, usage = [], None, None
    for chunk in stream:
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish = choice.finish_reason or finish
    assert "".join(pieces) == whole.choices[0].message.content
    assert finish == whole.choices[0].finish_reason
    assert usage is not None and usage.completion_tokens == whole.usage.completion_tokens


def test_max_tokens_ends_the_answer_with_length(serve: Any) -> None:
    client = openai_client(serve())
    answer = client.completions.create(model="", prompt="1, 2, 3, 4, 5,", max_tokens=5)
    assert answer.usage.completion_tokens == 5
    assert answer.choices[0].finish_reason == "length"
    chat = client.chat.completions.create(
        model="", messages=[{"role": "user", "content": "Tell me a long story."}], max_tokens=4
    )
    assert chat.usage.completion_tokens == 4
    assert chat.choices[0].finish_reason == "length"


def test_closing_a_stream_frees_the_engine(serve: Any, engine: Any, qtbot: Any) -> None:
    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="",
        messages=[{"role": "user", "content": "Count from 1 to 1000, one number per line."}],
        max_tokens=1500,
        stream=True,
    )
    for seen, _chunk in enumerate(stream, 1):
        if seen == 3:
            break
    stream.close()
    qtbot.waitUntil(lambda: any(r["status"] == 499 for r in _records()), timeout=WAIT_MS)
    closed = next(r for r in _records() if r["status"] == 499)
    assert closed["outcome"] == "client closed"
    assert closed["completion_tokens"] < 200  # the engine stopped, it did not run to 1,500
    after = client.chat.completions.create(model="", messages=QUESTION, max_tokens=8)
    assert after.choices[0].message.content
    assert engine.outside_requests == 0


def test_concurrent_requests_are_queued_and_all_answered(serve: Any, engine: Any) -> None:
    client = openai_client(serve())

    def ask(n: int) -> str:
        answer = client.chat.completions.create(
            model="", messages=[{"role": "user", "content": f"Say the number {n}."}], max_tokens=12
        )
        return answer.choices[0].message.content or ""

    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(ask, range(3)))
    assert all(answers)
    records = [r for r in _records() if r["endpoint"] == "/v1/chat/completions"]
    assert [r["status"] for r in records] == [200, 200, 200]
    assert engine.outside_requests == 0


class _Blocker(QObject):
    """Holds the engine thread until released, so requests pile up in the queue."""

    hold = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.holding = threading.Event()

    @Slot()
    def wait(self) -> None:
        self.holding.set()
        self.release.wait(WAIT_MS / 1000)


def test_a_full_queue_answers_429_with_retry_after(serve: Any, engine: Any, qtbot: Any) -> None:
    server = serve(max_queue=1)
    blocker = _Blocker()
    blocker.moveToThread(engine._thread)
    blocker.hold.connect(blocker.wait)
    blocker.hold.emit()
    assert blocker.holding.wait(30)
    results: list[Any] = []
    first = threading.Thread(
        target=lambda: results.append(
            openai_client(server).chat.completions.create(model="", messages=QUESTION, max_tokens=8)
        )
    )
    try:
        first.start()
        qtbot.waitUntil(lambda: engine.outside_requests == 1, timeout=WAIT_MS)
        response = httpx.post(
            f"{server.base_url}/chat/completions",
            json={"model": "", "messages": QUESTION, "max_tokens": 8},
            timeout=60,
        )
        assert response.status_code == 429
        assert response.headers["retry-after"].isdigit()
        assert response.json()["error"]["code"] == "rate_limit_exceeded"
    finally:
        blocker.release.set()
        first.join(WAIT_MS / 1000)
        blocker.deleteLater()
    assert results and results[0].choices[0].message.content


def test_the_windows_turn_does_not_stop_a_server_request(serve: Any, engine: Any) -> None:
    from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams

    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="", messages=QUESTION, max_tokens=16, temperature=0, stream=True
    )
    first = next(iter(stream))
    engine.generate(ChatRequest((ChatMessage("user", "Hi"),), gen=GenParams(max_tokens=4)))
    rest = [c for c in stream]
    assert first.choices and rest[-1].choices[0].finish_reason in ("stop", "length")


def test_wrong_key_is_refused_on_a_public_bind(serve: Any) -> None:
    server = serve(host="0.0.0.0", api_key="right-key")
    assert server.base_url.startswith("http://127.0.0.1:")
    with pytest.raises(openai.AuthenticationError):
        openai_client(server, "wrong-key").models.list()
    response = httpx.get(f"{server.base_url}/models", timeout=30)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert openai_client(server, "right-key").models.list().data
    assert httpx.get(server.base_url.removesuffix("/v1") + "/health", timeout=30).is_success


def test_a_public_bind_without_a_key_refuses_to_start(engine: Any) -> None:
    server = ApiServer(engine)
    with pytest.raises(ServerConfigError, match="API key"):
        server.start(ServerConfig(host="0.0.0.0", port=0))
    assert not server.running
    server.shutdown()


def test_malformed_json_is_400(serve: Any) -> None:
    server = serve()
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        content=b'{"model": "", "messages": [',
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == "invalid_json"
    deep = httpx.post(f"{server.base_url}/completions", content=b"[" * 100_000, timeout=30)
    assert deep.status_code == 400


def test_bad_parameters_are_400_with_the_parameter(serve: Any) -> None:
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="", messages=QUESTION, temperature=7)
    assert caught.value.body["param"] == "temperature"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="", messages=[])


def test_oversize_body_is_413(serve: Any) -> None:
    server = serve(max_body_bytes=4096)
    big = json.dumps({"model": "", "prompt": "x" * 20_000})
    response = httpx.post(f"{server.base_url}/completions", content=big, timeout=30)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"

    def chunks() -> Any:  # no Content-Length: the limit is counted as the body arrives
        for _ in range(10):
            yield b"x" * 1000

    chunked = httpx.post(f"{server.base_url}/completions", content=chunks(), timeout=30)
    assert chunked.status_code == 413


def test_unknown_model_is_404(serve: Any) -> None:
    client = openai_client(serve())
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=QUESTION)
    assert "gpt-4o" in str(caught.value)


def test_too_long_a_prompt_is_400_context_length(serve: Any) -> None:
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="", messages=[{"role": "user", "content": "word " * 5000}], stream=True
        )
    assert caught.value.body["code"] == "context_length_exceeded"  # type: ignore[index]


def test_request_log_keeps_no_text_unless_asked(serve: Any) -> None:
    client = openai_client(serve())
    client.chat.completions.create(model="", messages=QUESTION, max_tokens=4)
    (record,) = _records()
    assert "request" not in record and "answer" not in record
    assert record["completion_tokens"] == 4 and record["status"] == 200
    assert "colours" not in request_log.log_path().read_text(encoding="utf-8")


def test_request_log_keeps_text_when_asked(serve: Any) -> None:
    client = openai_client(serve(log_bodies=True))
    client.chat.completions.create(model="", messages=QUESTION, max_tokens=4)
    (record,) = _records()
    assert record["request"] == QUESTION and record["answer"]


def test_cors_is_off_unless_an_origin_is_configured(serve: Any) -> None:
    closed = serve()
    preflight = {
        "origin": "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }
    url = f"{closed.base_url}/chat/completions"
    refused = httpx.options(url, headers=preflight, timeout=30)
    assert "access-control-allow-origin" not in refused.headers
    models = httpx.get(f"{closed.base_url}/models", headers={"origin": preflight["origin"]})
    assert "access-control-allow-origin" not in models.headers

    opened = serve(cors_origins=("http://localhost:3000",), api_key="secret-key")
    allowed = httpx.options(f"{opened.base_url}/chat/completions", headers=preflight, timeout=30)
    assert allowed.status_code == 200  # the preflight carries no key and must not need one
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    other = httpx.options(
        f"{opened.base_url}/chat/completions",
        headers={**preflight, "origin": "http://evil.example"},
        timeout=30,
    )
    assert other.headers.get("access-control-allow-origin") != "http://evil.example"
