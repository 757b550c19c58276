"""tools on our API: the starter model's calls come back as OpenAI tool_calls; the client
runs the tool and sends the result back for the final answer; bad tools are a 400."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.server.conftest import openai_client

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
CLOCK = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "The current time.",
        "parameters": {"type": "object", "properties": {}},
    },
}
QUESTION = [{"role": "user", "content": "What is the weather in Paris?"}]


def _history_with_result(call: Any) -> list[dict[str, Any]]:
    return [
        *QUESTION,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": "Sunny, 24 degrees Celsius."},
    ]


def test_required_gives_a_call_and_the_result_gives_an_answer(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="", messages=QUESTION, tools=[WEATHER, CLOCK], tool_choice="required", max_tokens=64
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert calls and len(calls) == 1
    call = calls[0]
    assert call.type == "function" and call.id
    assert call.function.name in ("get_weather", "get_time")
    arguments = json.loads(call.function.arguments)
    assert isinstance(arguments, dict)
    if call.function.name == "get_weather":
        assert isinstance(arguments["city"], str)

    final = client.chat.completions.create(
        model="",
        messages=_history_with_result(call),
        tools=[WEATHER, CLOCK],
        tool_choice="none",
        max_tokens=48,
    )
    answer = final.choices[0]
    assert answer.finish_reason in ("stop", "length")
    assert answer.message.content and not answer.message.tool_calls


def test_a_named_function_is_the_one_called(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="",
        messages=QUESTION,
        tools=[CLOCK, WEATHER],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        max_tokens=64,
    )
    call = reply.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert isinstance(json.loads(call.function.arguments)["city"], str)


def test_a_streamed_call_arrives_as_tool_call_deltas(serve: Any) -> None:
    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="",
        messages=QUESTION,
        tools=[WEATHER],
        tool_choice="required",
        max_tokens=64,
        stream=True,
    )
    names, arguments, finish, content = "", "", None, ""
    for chunk in stream:
        for choice in chunk.choices:
            content += choice.delta.content or ""
            for fragment in choice.delta.tool_calls or []:
                assert fragment.index == 0
                names += fragment.function.name or ""
                arguments += fragment.function.arguments or ""
            finish = choice.finish_reason or finish
    assert finish == "tool_calls"
    assert names == "get_weather" and content == ""
    assert isinstance(json.loads(arguments)["city"], str)


def test_auto_answers_with_content_or_calls_streamed(serve: Any) -> None:
    """Whatever the model writes with tools offered, the answer is well formed: calls as
    tool_calls, never as <tool_call> markup in the content."""
    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="", messages=QUESTION, tools=[WEATHER], max_tokens=48, temperature=0, stream=True
    )
    text, finish, names = "", None, ""
    for chunk in stream:
        for choice in chunk.choices:
            text += choice.delta.content or ""
            names += "".join(f.function.name or "" for f in choice.delta.tool_calls or [])
            finish = choice.finish_reason or finish
    assert "<tool_call>" not in text
    assert finish in ("stop", "length", "tool_calls")
    assert (finish == "tool_calls") == bool(names)


def test_a_result_sent_back_streams_a_final_answer(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="", messages=QUESTION, tools=[WEATHER], tool_choice="required", max_tokens=64
    )
    call = reply.choices[0].message.tool_calls[0]
    stream = client.chat.completions.create(
        model="",
        messages=_history_with_result(call),
        tools=[WEATHER],
        tool_choice="none",
        max_tokens=48,
        stream=True,
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text.strip()


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"tools": {"name": "x"}}, "tools"),
        ({"tools": [{"type": "retrieval"}]}, "tools[0]"),
        ({"tools": [{"type": "function", "function": {}}]}, "tools[0].function.name"),
        ({"tools": [WEATHER, WEATHER]}, "tools"),
        ({"tools": [WEATHER], "tool_choice": "sometimes"}, "tool_choice"),
        (
            {"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "no"}}},
            "tool_choice",
        ),
        ({"tool_choice": "required"}, "tool_choice"),
    ],
)
def test_bad_tools_are_a_400(serve: Any, fields: dict[str, Any], param: str) -> None:
    server = serve()
    body = {"messages": QUESTION, **fields}
    response = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=60)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert error["message"]


def test_the_openai_client_raises_bad_request_for_bad_tools(serve: Any) -> None:
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="", messages=QUESTION, tools=[{"type": "function", "function": {"name": ""}}]
        )
