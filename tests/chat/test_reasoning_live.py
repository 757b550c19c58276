"""Reasoning apart with the real starter model: a template that opens <think> in the prompt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.chat.controller import ChatController
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import LoadParams
from desktop_chat.store import Store, open_store

# ChatML whose generation prompt opens a thought block, as DeepSeek-R1 distills' templates do.
OPENING_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n<think>\n{% endif %}"
)


@pytest.fixture
def client(qtbot, smollm_path) -> Iterator[EngineClient]:
    engine = EngineClient()
    with qtbot.waitSignal(engine.model_loaded, timeout=180_000):
        engine.load(
            LoadParams(
                path=smollm_path, n_ctx=2048, chat_format="custom", custom_template=OPENING_TEMPLATE
            )
        )
    yield engine
    engine.shutdown()


@pytest.fixture
def store(app_home) -> Iterator[Store]:
    opened, _notice = open_store()
    yield opened
    opened.close()


def test_what_the_model_writes_before_the_closing_tag_is_reasoning(qtbot, client, store):
    settings = settings_mod.with_value(settings_mod.Settings(), "generation.seed", 3)
    settings = settings_mod.with_value(settings, "generation.max_tokens", 24)
    controller = ChatController(client, lambda: settings, store)
    thought: list[str] = []
    answered: list[str] = []
    controller.reasoning_chunk.connect(thought.append)
    controller.stream_chunk.connect(answered.append)
    try:
        with qtbot.waitSignal(controller.turn_finished, timeout=180_000):
            controller.send_text("Why is the sky blue?")
        [conversation] = store.list_conversations()
        question, answer = store.active_thread(conversation.id)
        # Whatever the model wrote before a </think> (if any) is reasoning, saved as it came.
        assert answer.reasoning.strip()
        assert answer.reasoning.strip() == "".join(thought).strip()
        assert "</think>" not in answer.content and "<think>" not in answer.reasoning
        assert answer.content == "".join(answered)
        assert answer.metadata.get("thought_s") is not None
        # Later turns see the answer only, never the reasoning.
        history = [m.content for m in store.active_thread(conversation.id)]
        assert answer.reasoning not in "".join(history)
        assert question.content == "Why is the sky blue?"
    finally:
        controller.shutdown()
