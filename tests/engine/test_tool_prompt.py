"""Tools in a local prompt: a template with tool support renders the offer, the call and the
result itself (Qwen2.5's shape); a template without it gets the Hermes block and plain turns."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_chat.engine.chat_formats import JinjaTemplate
from desktop_chat.engine.prompt import FormatChoice
from desktop_chat.engine.tool_prompt import handles_tools
from desktop_chat.engine.types import ChatMessage, ChatRequest, ToolCallRef
from desktop_chat.engine.worker import EngineWorker

QWEN25 = (Path(__file__).parent / "fixtures" / "qwen25_tools.jinja").read_text(encoding="utf-8")
PLAIN = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
ADD = {
    "type": "function",
    "function": {
        "name": "add",
        "description": "Add two integers.",
        "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}},
    },
}


def turn() -> ChatRequest:
    return ChatRequest(
        history=(
            ChatMessage("user", "What is 2 plus 3?"),
            ChatMessage(
                "assistant", "", tool_calls=(ToolCallRef("call00000", "add", '{"a": 2, "b": 3}'),)
            ),
            ChatMessage("tool", "5", name="add", tool_call_id="call00000"),
        ),
        system="Be brief.",
        tools=json.dumps([ADD]),
    )


def prompt(source: str, request: ChatRequest) -> str:
    fmt = FormatChoice("gguf-template", "gguf", template=JinjaTemplate(source, "", "<|im_end|>"))
    request = EngineWorker._with_thinking(request, fmt)
    request = EngineWorker._with_tools(request, fmt)
    return fmt.render([ChatMessage("system", request.system), *request.history]).text


def test_which_templates_render_tools():
    assert handles_tools(QWEN25)
    assert not handles_tools(PLAIN)
    assert not handles_tools("{{ messages[0].content }} tools are nice")


def test_a_template_with_tools_renders_the_offer_the_call_and_the_result():
    text = prompt(QWEN25, turn())
    assert text.startswith("<|im_start|>system\nBe brief.\n\n# Tools\n")
    assert '"name": "add"' in text and '"description": "Add two integers."' in text
    # The call as the template writes an assistant turn with tool_calls …
    assert '<|im_start|>assistant\n<tool_call>\n{"name": "add", "arguments": {"a": 2' in text
    # … and the result as its role "tool" turn: the bare content, no nudge of ours.
    assert "<|im_start|>user\n<tool_response>\n5\n</tool_response><|im_end|>\n" in text
    assert "Answer my question" not in text
    assert text.endswith("<|im_start|>assistant\n")


def test_the_template_without_tools_the_offer_is_gone_next_turn():
    request = ChatRequest(history=(ChatMessage("user", "Hi"),), system="Be brief.")
    text = prompt(QWEN25, request)
    assert "# Tools" not in text and text.startswith("<|im_start|>system\nBe brief.<|im_end|>")


def test_a_template_without_tools_gets_the_hermes_block_and_plain_turns():
    text = prompt(PLAIN, turn())
    assert text.startswith("<|im_start|>system\nBe brief.\n\n# Tools\n")
    assert "<tools>\n" + json.dumps(ADD) in text
    assert (
        '<|im_start|>assistant\n<tool_call>\n{"name": "add", "arguments": {"a": 2, "b": 3}}' in text
    )
    assert '<|im_start|>user\n<tool_response>\n{"name": "add", "content": "5"}' in text
    assert "Answer my question with this result." in text
    assert "<|im_start|>tool" not in text


def test_a_named_format_gets_plain_turns_too():
    fmt = FormatChoice("chatml", "user")
    request = EngineWorker._with_tools(turn(), fmt)
    assert [m.role for m in request.history] == ["user", "assistant", "user"]
    assert "<tools>" in request.system
    assert "<tool_response>" in fmt.render(list(request.history)).text


def test_a_template_that_refuses_our_call_falls_back_to_plain_turns():
    picky = (
        "{% if tools %}TOOLS{% endif %}{% for m in messages %}"
        "{% if m.tool_calls %}{{ raise_exception('Only one call at a time!') }}{% endif %}"
        "<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    )
    text = prompt(picky, turn())
    assert not text.startswith("TOOLS") and "# Tools" in text
    assert "<tool_response>" in text
