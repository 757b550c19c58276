"""response_format: a JSON Schema constrains the starter model's answer through the API."""

from __future__ import annotations

import json
from typing import Any

import httpx

from desktop_chat.chat.profiles import FEEDBACK_SCHEMA
from desktop_chat.engine.json_schema import problems
from tests.server.conftest import openai_client

FEEDBACK = [
    {"role": "system", "content": "Analyse the customer feedback. Reply with JSON only."},
    {"role": "user", "content": "Fast delivery, but the lampshade arrived scratched."},
]


def test_a_json_schema_answer_validates(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="",
        messages=FEEDBACK,
        max_tokens=160,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "feedback", "schema": json.loads(FEEDBACK_SCHEMA)},
        },
    )
    document = json.loads(reply.choices[0].message.content)
    assert problems(document, json.loads(FEEDBACK_SCHEMA)) == []


def test_json_object_streams_one_json_object(serve: Any) -> None:
    client = openai_client(serve())
    stream = client.chat.completions.create(
        model="",
        messages=[{"role": "user", "content": "Give me a JSON object about a cat."}],
        max_tokens=64,
        response_format={"type": "json_object"},
        stream=True,
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text.lstrip().startswith("{")


def test_an_unsupported_keyword_is_a_400_naming_it(serve: Any) -> None:
    server = serve()
    body = {
        "messages": [{"role": "user", "content": "Hi"}],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "x", "schema": {"type": "object", "minProperties": 1}},
        },
    }
    response = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=60)
    assert response.status_code == 400
    error = response.json()["error"]
    assert "“minProperties”" in error["message"]
    assert error["param"] == "response_format.json_schema.schema"
    body["response_format"] = {"type": "yaml"}
    assert (
        httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=60).status_code == 400
    )
