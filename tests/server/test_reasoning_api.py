"""A thinking model's reasoning goes out apart, as reasoning_content (as LM Studio does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import LoadParams
from tests.server.conftest import LOAD_TIMEOUT_MS, openai_client

# The generation prompt opens a thought block, as DeepSeek-R1 distills' templates do; the
# starter model never closes it, so everything it writes is reasoning.
OPENING_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n<think>\n{% endif %}"
)
QUESTION = [{"role": "user", "content": "Why is the sky blue?"}]


@pytest.fixture
def engine(qtbot: Any, smollm_path: Path) -> Iterator[EngineClient]:
    client = EngineClient()
    params = LoadParams(
        path=smollm_path, n_ctx=2048, n_threads=2, seed=1, chat_format="custom",
        custom_template=OPENING_TEMPLATE,
    )  # fmt: skip
    try:
        with qtbot.waitSignal(client.model_loaded, timeout=LOAD_TIMEOUT_MS):
            client.load(params)
        yield client
    finally:
        client.shutdown()


def test_reasoning_streams_as_reasoning_content(serve: Any) -> None:
    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="", messages=QUESTION, max_tokens=24, temperature=0, stream=True
    )
    deltas = [c.choices[0].delta for c in stream if c.choices]
    reasoning = "".join(getattr(d, "reasoning_content", None) or "" for d in deltas)
    content = "".join(d.content or "" for d in deltas)
    assert reasoning.strip() and "<think>" not in reasoning and content == ""


def test_a_whole_answer_has_reasoning_content_beside_it(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="", messages=QUESTION, max_tokens=24, temperature=0
    )
    message = reply.choices[0].message
    assert getattr(message, "reasoning_content", "").strip() and message.content == ""
