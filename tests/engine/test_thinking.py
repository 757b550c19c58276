"""Thinking on / off / auto: enable_thinking for Qwen3-style templates, /no_think otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.chat.turns import build_turn
from desktop_chat.engine.chat_formats import JinjaTemplate
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.thinking import NO_THINK, apply_thinking, template_variables
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams

# Qwen3's switch in miniature: thinking unless enable_thinking is false.
SWITCH_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n"
    "{% else %}<think>\n{% endif %}{% endif %}"
)
THINKING_NO_SWITCH = "{{ messages[-1].content }}<think>"


def _request(thinking: str) -> ChatRequest:
    return ChatRequest(
        history=(ChatMessage("user", "Hi"),), gen=GenParams(max_tokens=4), thinking=thinking
    )


def test_a_template_with_a_switch_gets_enable_thinking():
    assert template_variables("off", SWITCH_TEMPLATE) == {"enable_thinking": False}
    assert template_variables("on", SWITCH_TEMPLATE) == {"enable_thinking": True}
    assert template_variables("auto", SWITCH_TEMPLATE) == {}
    template = JinjaTemplate(SWITCH_TEMPLATE)
    template.variables = template_variables("off", SWITCH_TEMPLATE)
    assert template.render([ChatMessage("user", "Hi")]).text.endswith("<think>\n\n</think>\n\n")
    assert apply_thinking(_request("off"), SWITCH_TEMPLATE) == _request("off")


def test_a_thinking_template_without_a_switch_gets_no_think():
    changed = apply_thinking(_request("off"), THINKING_NO_SWITCH)
    assert changed.history[-1].content == f"Hi {NO_THINK}"
    assert apply_thinking(changed, THINKING_NO_SWITCH) == changed  # never twice
    assert apply_thinking(_request("on"), THINKING_NO_SWITCH) == _request("on")
    assert apply_thinking(_request("off"), "{{ messages }}") == _request("off")  # no thinking


def test_the_setting_reaches_the_request_and_is_per_model():
    settings = settings_mod.with_value(settings_mod.Settings(), "generation.thinking", "off")
    turn = build_turn(settings, [ChatMessage("user", "Hi")], model_key=None)
    assert turn.request.thinking == "off"
    per_model = settings_mod.with_model_override(
        settings, "qwen3.gguf", "generation.thinking", "on"
    )
    turn = build_turn(per_model, [ChatMessage("user", "Hi")], model_key="qwen3.gguf")
    assert turn.request.thinking == "on"


@pytest.fixture
def client(qtbot, smollm_path) -> Iterator[EngineClient]:
    engine = EngineClient()
    params = LoadParams(
        path=smollm_path, n_ctx=2048, chat_format="custom", custom_template=SWITCH_TEMPLATE
    )
    with qtbot.waitSignal(engine.model_loaded, timeout=180_000):
        engine.load(params)
    yield engine
    engine.shutdown()


@pytest.mark.parametrize(("mode", "opens"), [("auto", True), ("on", True), ("off", False)])
def test_the_real_engine_renders_the_switch(qtbot, client, mode, opens):
    with qtbot.waitSignal(client.started, timeout=180_000) as started:
        client.generate(_request(mode))
    assert started.args[1].opens_thinking is opens
    qtbot.waitUntil(lambda: not client.busy, timeout=180_000)
