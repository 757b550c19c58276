"""The API's tool offer checked, and answers read for calls wherever the stream is split."""

from __future__ import annotations

import json

import pytest

from desktop_chat.engine.types import GenParams
from desktop_chat.server.errors import ApiError
from desktop_chat.server.protocol import parse_chat
from desktop_chat.server.tool_calls import CallReader, parse_offer, shaped_calls

TOOL = {
    "type": "function",
    "function": {
        "name": "add",
        "parameters": {"type": "object", "properties": {"a": {"type": "number"}}},
    },
}


def _read(text: str, forced: bool, step: int) -> tuple[str, list[str]]:
    reader = CallReader(forced)
    shown = "".join(reader.feed(text[i : i + step]) for i in range(0, len(text), step))
    shown += reader.finish()
    return shown, [c.name for c in reader.calls]


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_calls_are_found_wherever_the_stream_is_split(step: int) -> None:
    text = 'Sure. <tool_call>\n{"name": "add", "arguments": {"a": 1}}\n</tool_call>'
    shown, names = _read(text, False, step)
    assert shown == "Sure. " and names == ["add"]


def test_a_malformed_call_is_plain_content() -> None:
    text = '<tool_call>{"name": "add", "arguments": {"a": </tool_call>'
    shown, names = _read(text, False, 4)
    assert names == [] and shown == text


def test_a_forced_call_is_read_whole_and_a_broken_one_is_content() -> None:
    assert _read('{"name": "add", "arguments": {"a": 2}}', True, 3) == ("", ["add"])
    assert _read('{"name": "add", "argu', True, 3) == ('{"name": "add", "argu', [])


def test_shaped_calls_carry_ids_and_json_arguments() -> None:
    reader = CallReader(True)
    reader.feed('[{"name": "add", "arguments": {"a": 1}}, {"name": "add", "arguments": {}}]')
    reader.finish()
    shaped = shaped_calls(reader.calls, streamed=True)
    assert [c["index"] for c in shaped] == [0, 1]
    assert len({c["id"] for c in shaped}) == 2
    assert json.loads(shaped[0]["function"]["arguments"]) == {"a": 1}


def test_tool_choice_decides_what_is_offered_and_forced() -> None:
    assert not parse_offer({"tools": [TOOL], "tool_choice": "none"}).active
    auto = parse_offer({"tools": [TOOL]})
    assert auto.active and auto.forced_schema is None
    required = parse_offer({"tools": [TOOL], "tool_choice": "required"})
    assert json.loads(required.forced_schema or "")["properties"]["name"] == {"const": "add"}
    named = {"type": "function", "function": {"name": "add"}}
    assert parse_offer({"tools": [TOOL], "tool_choice": named}).forced_schema


def test_tool_messages_become_the_engines_history() -> None:
    body = {
        "messages": [
            {"role": "user", "content": "1+1?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "abc123def",
                        "type": "function",
                        "function": {"name": "add", "arguments": '{"a": 1}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "abc123def", "content": "2"},
        ],
        "tools": [TOOL],
        "tool_choice": "required",
    }
    parsed = parse_chat(body, GenParams())
    request = parsed.engine_request
    history = request.history  # type: ignore[union-attr]
    assert history[1].tool_calls[0].name == "add" and history[1].content == ""
    assert (history[2].role, history[2].name, history[2].tool_call_id) == (
        "tool",
        "add",
        "abc123def",
    )
    assert request.tools and request.json_schema  # type: ignore[union-attr]
    assert "</tool_response>" in request.gen.stop


def test_a_forced_call_with_a_response_format_is_refused() -> None:
    body = {
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [TOOL],
        "tool_choice": "required",
        "response_format": {"type": "json_object"},
    }
    with pytest.raises(ApiError) as caught:
        parse_chat(body, GenParams())
    assert caught.value.status == 400 and caught.value.param == "tool_choice"
