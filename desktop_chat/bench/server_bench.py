"""API server figure: tokens/s through our server read by the official ``openai`` client
÷ the engine's own tokens/s for the same request sent from inside the app, in the same run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from desktop_chat.bench.report import Figure, skipped_without_http_stack

PROMPT = "Write a long story about a lighthouse keeper and a storm. Use many details."
SYSTEM = "You are a helpful assistant."
MAX_TOKENS = 200
SEED = 1234
ROUNDS = 5
NAME = "server tokens/s vs engine"


def through_server(url: str) -> tuple[float, int]:
    """The openai client streaming from our server, in a process of its own as a real client
    is (in ours it would share the engine's GIL): tokens (from usage) over the time from
    sending the request to the last token's arrival. A client that reads in bursts cannot
    shorten that span: the last token arrives no sooner than it is made."""
    result = subprocess.run(
        [sys.executable, "-c", CLIENT, url, PROMPT, SYSTEM, str(MAX_TOKENS), str(SEED)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the openai client failed: {result.stderr.strip()[-500:]}")
    rate, tokens = result.stdout.split()
    return float(rate), int(tokens)


CLIENT = """
import sys, time
import openai
url, prompt, system, max_tokens, seed = sys.argv[1:6]
client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=300)
arrivals, tokens = [], 0
sent = time.perf_counter()
stream = client.chat.completions.create(
    model="",
    messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
    max_tokens=int(max_tokens), temperature=0.8, top_p=0.95, seed=int(seed), stream=True,
    stream_options={"include_usage": True},
)
for chunk in stream:
    if chunk.usage is not None:
        tokens = chunk.usage.completion_tokens
    if chunk.choices and chunk.choices[0].delta.content:
        arrivals.append(time.perf_counter())
span = arrivals[-1] - sent if arrivals else 0.0
print(tokens / span if span > 0 else 0.0, tokens)
"""


class _Done:
    """An engine sink that only notes the end: the baseline does no work per token."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.result: Any = None

    def started(self, info: Any) -> None:
        pass

    def chunk(self, text: str) -> None:
        pass

    def context_full(self) -> None:
        pass

    def finished(self, stats: Any) -> None:
        self.result = stats
        self.event.set()

    cancelled = finished

    def failed(self, message: str) -> None:
        self.result = message
        self.event.set()


def in_engine(client: Any) -> tuple[float, int]:
    """The same request straight into the engine worker, this thread idle until it ends: tokens
    over the engine's own time from reading the prompt to the last token."""
    from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams
    from desktop_chat.server.protocol import API_CONVERSATION_KEY

    done = _Done()
    request = ChatRequest(
        (ChatMessage("user", PROMPT),),
        system=SYSTEM,
        gen=GenParams(MAX_TOKENS, temperature=0.8, top_p=0.95, seed=SEED),
        conversation_key=API_CONVERSATION_KEY,  # the same cache slot as the server's
    )
    if client.submit(request, done, 1) is None or not done.event.wait(300):
        raise RuntimeError("the engine's turn did not end")
    if isinstance(done.result, str):
        raise RuntimeError(done.result)
    stats = done.result
    return (
        stats.completion_tokens / stats.total_s if stats.total_s else 0.0,
        stats.completion_tokens,
    )


def run(model: Path) -> list[Figure]:
    skipped = skipped_without_http_stack(NAME, ">= 0.95")
    if skipped is not None:
        return skipped
    from PySide6.QtCore import QCoreApplication

    from desktop_chat.bench.qt_wait import wait_until
    from desktop_chat.engine.client import EngineClient
    from desktop_chat.engine.types import LoadParams
    from desktop_chat.server.config import ServerConfig
    from desktop_chat.server.service import ApiServer

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    client = EngineClient()
    server = ApiServer(client)
    try:
        client.load(LoadParams(path=model, n_ctx=2048))
        if not wait_until(lambda: client.model is not None or not client.loading, 300):
            raise RuntimeError("the model did not load")
        if client.model is None:
            raise RuntimeError("the model could not be loaded")
        url = server.start(ServerConfig(port=0))
        through_server(url)  # warm both paths once
        in_engine(client)
        served: list[float] = []
        engine: list[float] = []
        tokens = (0, 0)
        for _ in range(ROUNDS):  # interleaved, so a slower moment of the machine hits both
            rate, server_tokens = through_server(url)
            served.append(rate)
            rate, engine_tokens = in_engine(client)
            engine.append(rate)
            tokens = (server_tokens, engine_tokens)
    finally:
        server.shutdown()
        client.shutdown()
    del app
    # The median of each round's own ratio: rounds interleave, so a busy moment of the machine
    # slows both halves of one round rather than one side of the figure.
    ratio = statistics.median(a / b if b else 0.0 for a, b in zip(served, engine, strict=True))
    detail = (
        f"server {statistics.median(served):.1f} tok/s, engine {statistics.median(engine):.1f} "
        f"tok/s, tokens {tokens[0]}/{tokens[1]}, median ratio of {ROUNDS} rounds "
        f"({' '.join(f'{a:.0f}/{b:.0f}' for a, b in zip(served, engine, strict=True))})"
    )
    return [Figure(NAME, ratio, "", ">= 0.95", detail)]
