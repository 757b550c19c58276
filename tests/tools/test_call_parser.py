"""Tool calls found in streamed text wherever it is split; never inside reasoning."""

from __future__ import annotations

import pytest

from desktop_chat.tools.call_parser import CallParser, parse_calls
from desktop_chat.tools.specs import ToolCall

HERMES = (
    "Let me check.<tool_call>\n"
    '{"name": "add", "arguments": {"a": 2, "b": 3}}\n</tool_call>'
    '<tool_call>{"name": "echo", "arguments": {"text": "<b>hi</b>"}}</tool_call> done'
)
THINK = (
    '<think>I could write <tool_call>{"name": "echo", "arguments": {}}</tool_call></think>'
    'Sure. <tool_call>{"name": "add", "arguments": {"a": 1, "b": 1}}</tool_call>'
)
MISTRAL = 'Calling.[TOOL_CALLS][{"name": "add", "arguments": {"a": 4, "b": 5}}, {"name": "echo", "arguments": {"text": "x"}}]'
LLAMA = '<|python_tag|>{"name": "add", "parameters": {"a": 7, "b": 8}}'


def feed_split(text: str, *cuts: int) -> CallParser:
    parser = CallParser()
    start = 0
    for cut in (*cuts, len(text)):
        parser.feed(text[start:cut])
        start = cut
    parser.finish()
    return parser


@pytest.mark.parametrize(
    ("stream", "calls", "text"),
    [
        (
            HERMES,
            [ToolCall("add", {"a": 2, "b": 3}), ToolCall("echo", {"text": "<b>hi</b>"})],
            "Let me check. done",
        ),
        (
            THINK,
            [ToolCall("add", {"a": 1, "b": 1})],
            '<think>I could write <tool_call>{"name": "echo", "arguments": {}}</tool_call></think>Sure. ',
        ),
        (
            MISTRAL,
            [ToolCall("add", {"a": 4, "b": 5}), ToolCall("echo", {"text": "x"})],
            "Calling.",
        ),
        (LLAMA, [ToolCall("add", {"a": 7, "b": 8})], ""),
    ],
    ids=["hermes-parallel", "think", "mistral", "llama"],
)
def test_every_split_point_gives_the_same_calls(stream, calls, text):
    for cut in range(len(stream) + 1):
        parser = feed_split(stream, cut)
        assert parser.calls == calls, cut
        assert parser.text == text, cut
    for cut in range(0, len(stream), 3):  # and cut in three places
        parser = feed_split(stream, cut // 2, cut)
        assert parser.calls == calls


def test_one_character_at_a_time():
    parser = CallParser()
    shown = "".join(parser.feed(ch) for ch in HERMES) + parser.finish()
    assert shown == "Let me check. done"
    assert len(parser.calls) == 2


def test_malformed_json_is_shown_as_text_with_a_note():
    stream = 'Here: <tool_call>{"name": "add", "arguments": {"a": 2,</tool_call> sorry'
    for cut in range(len(stream) + 1):
        parser = feed_split(stream, cut)
        assert parser.calls == []
        assert '<tool_call>{"name": "add"' in parser.text
        assert parser.malformed and "not valid JSON" in parser.malformed[0].note


def test_an_unclosed_call_at_the_end_is_still_read():
    parser = feed_split('<tool_call>{"name": "echo", "arguments": {"text": "a"}}')
    assert parser.calls == [ToolCall("echo", {"text": "a"})]


def test_text_that_only_looks_like_a_marker_start_is_shown():
    parser = feed_split("a < b and [TOOL is not a call <tool", 10)
    assert parser.text == "a < b and [TOOL is not a call <tool"
    assert parser.calls == []


def test_parse_calls_forms():
    assert parse_calls('{"name": "x", "arguments": "{\\"a\\": 1}"}') == [ToolCall("x", {"a": 1})]
    assert parse_calls('{"type": "function", "function": {"name": "x", "arguments": {}}}') == [
        ToolCall("x", {})
    ]
    assert parse_calls('{"name": "a", "parameters": {}}; {"name": "b", "parameters": {}}') == [
        ToolCall("a", {}),
        ToolCall("b", {}),
    ]
    assert parse_calls('{"arguments": {}}') is None
    assert parse_calls("[1, 2]") is None
    assert parse_calls("") is None
