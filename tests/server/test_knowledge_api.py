"""`knowledge_base` on /v1/chat/completions: the starter model answers from the sample shop
through the API, with the passages as `citations` (quotes and pages) and `unsupported_claims`,
whole and streamed; an unknown or malformed name is an error naming the field."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.server.conftest import openai_client

QUESTION = [{"role": "user", "content": "How long does a refund take?"}]


def test_a_whole_answer_carries_its_citations(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="", messages=QUESTION, max_tokens=48, extra_body={"knowledge_base": "shop-demo"}
    )
    extra = reply.model_extra or {}
    citations = extra["citations"]
    assert citations and citations[0]["number"] == 1
    assert citations[0]["source"] == "en/returns.md"
    assert any("5 business days" in c["text"] for c in citations)
    for citation in citations:
        for start, end in citation["quotes"]:
            assert 0 <= start < end <= len(citation["text"])
    assert isinstance(extra["unsupported_claims"], list)
    assert reply.choices[0].message.content


def test_a_streamed_answer_ends_with_its_citations(serve: Any) -> None:
    server = serve()
    body = {"model": "", "messages": QUESTION, "max_tokens": 32, "stream": True}
    body["knowledge_base"] = "shop-demo"
    chunks = []
    with httpx.stream("POST", f"{server.base_url}/chat/completions", json=body, timeout=120) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                chunks.append(json.loads(line[6:]))
    last = next(c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"])
    assert last["citations"][0]["source"] == "en/returns.md"
    assert all("citations" not in c for c in chunks if c is not last)


def test_a_question_the_shop_cannot_answer_has_no_citations(serve: Any) -> None:
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="",
        messages=[{"role": "user", "content": "give me a recipe for banana bread"}],
        max_tokens=16,
        extra_body={"knowledge_base": "shop-demo"},
    )
    assert (reply.model_extra or {})["citations"] == []


def test_an_unknown_or_malformed_knowledge_base_is_an_error_naming_the_field(
    serve: Any,
) -> None:
    server = serve()
    for name, status in (("nope", 404), ("../x", 400), (3, 400), ("", 400)):
        body = {"model": "", "messages": QUESTION, "knowledge_base": name}
        reply = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=60)
        assert reply.status_code == status, reply.text
        error = reply.json()["error"]
        assert error["param"] == "knowledge_base" and error["message"]
