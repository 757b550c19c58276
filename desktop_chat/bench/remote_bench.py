"""Remote engine figure: the app's tokens/s through llama-cpp-python's OpenAI-compatible server
÷ the official ``openai`` client reading the same server directly, in the same run."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from desktop_chat.bench.report import Figure, skipped_without_http_stack

PROMPT = "Write a long story about a lighthouse keeper and a storm. Use many details."
SYSTEM = "You are a helpful assistant."
MAX_TOKENS = 200
SEED = 1234
ROUNDS = 3
ALIAS = "bench"
NAME = "remote engine tokens/s vs openai client"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(model: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--n_ctx", "2048", "--verbose", "False"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError("llama_cpp.server did not start")


def _rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def direct_tokens_per_s(url: str) -> tuple[float, int]:
    """The openai client streaming from the server: the baseline."""
    import openai

    client = openai.OpenAI(base_url=url, api_key="none")
    times: list[float] = []
    stream: Any = client.chat.completions.create(
        model=ALIAS,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}],
        max_tokens=MAX_TOKENS,
        temperature=0.8,
        top_p=0.95,
        seed=SEED,
        stream=True,
        # The sampling fields the app sends a llama.cpp server, so both ask for the same work.
        extra_body={"top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1},
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            times.append(time.perf_counter())
    client.close()
    return _rate(times), len(times)


def app_tokens_per_s(engine: Any) -> tuple[float, int]:
    """The RemoteEngine as the chat receives it: tokens counted by the stream, timed at the
    chunks' arrival on the GUI thread (the first and last)."""
    from desktop_chat.bench.qt_wait import wait_until
    from desktop_chat.engine.remote import RemoteTarget
    from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams

    arrivals: list[float] = []
    ends: list[Any] = []

    def on_chunk(_request_id: int, _text: str) -> None:
        arrivals.append(time.perf_counter())

    def on_end(_request_id: int, result: object) -> None:
        ends.append(result)

    engine.chunk.connect(on_chunk)
    engine.finished.connect(on_end)
    engine.failed.connect(on_end)
    try:
        request = ChatRequest(
            (ChatMessage("user", PROMPT),),
            system=SYSTEM,
            gen=GenParams(MAX_TOKENS, temperature=0.8, top_p=0.95, seed=SEED),
        )
        engine.generate(RemoteTarget(ALIAS, ALIAS), request)
        if not wait_until(lambda: bool(ends), timeout_s=300):
            raise RuntimeError("the remote turn did not end")
    finally:
        engine.chunk.disconnect(on_chunk)
        engine.finished.disconnect(on_end)
        engine.failed.disconnect(on_end)
    stats = ends[0]
    if isinstance(stats, str):
        raise RuntimeError(stats)
    tokens = stats.completion_tokens
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    # The first arrival carries the first token; the others, batched, carry the rest.
    return ((tokens - 1) / span if span > 0 else 0.0), tokens


def run(model: Path) -> list[Figure]:
    skipped = skipped_without_http_stack(NAME, ">= 0.95")
    if skipped is not None:
        return skipped
    from PySide6.QtCore import QCoreApplication

    from desktop_chat import settings as settings_mod
    from desktop_chat.engine import endpoints
    from desktop_chat.engine.remote import RemoteEngine

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    process, url = _start_server(model)
    engine = None
    try:
        endpoints.add(
            endpoints.Endpoint(ALIAS, url, endpoints.Preset.LLAMA_SERVER, context_size=2048),
            replace_existing=True,
        )
        engine = RemoteEngine(settings_mod.Settings)
        direct_tokens_per_s(url)  # warm both paths once: the first request loads caches
        app_tokens_per_s(engine)
        direct: list[float] = []
        ours: list[float] = []
        tokens = (0, 0)
        for _ in range(ROUNDS):  # interleaved, so a slower moment of the machine hits both
            rate, direct_tokens = direct_tokens_per_s(url)
            direct.append(rate)
            rate, app_tokens = app_tokens_per_s(engine)
            ours.append(rate)
            tokens = (direct_tokens, app_tokens)
    finally:
        if engine is not None:
            engine.shutdown()
        endpoints.remove(ALIAS)
        process.kill()
        process.wait()
    del app
    base, mine = statistics.median(direct), statistics.median(ours)
    detail = (
        f"app {mine:.1f} tok/s, openai client {base:.1f} tok/s, "
        f"tokens {tokens[1]}/{tokens[0]}, median of {ROUNDS} "
        f"({' '.join(f'{a:.0f}/{b:.0f}' for a, b in zip(ours, direct, strict=True))})"
    )
    return [Figure(NAME, mine / base if base else 0.0, "", ">= 0.95", detail)]
