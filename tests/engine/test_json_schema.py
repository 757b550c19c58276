"""JSON Schemas for constrained answers: checked before generation; the real model obeys one."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from desktop_chat.chat.profiles import FEEDBACK_SCHEMA
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.json_schema import SchemaError, load_schema, problems
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams, LoadParams


@pytest.mark.parametrize(
    ("schema", "keyword"),
    [
        ({"type": "object", "patternProperties": {"^x": {}}}, "patternProperties"),
        ({"type": "array", "items": {"type": "string"}, "uniqueItems": True}, "uniqueItems"),
        ({"properties": {"a": {"type": "integer", "multipleOf": 3}}}, "multipleOf"),
        ({"anyOf": [{"type": "string"}, {"not": {"type": "null"}}]}, "not"),
        ({"if": {"type": "string"}, "then": {"minLength": 1}}, "if"),
    ],
)
def test_an_unsupported_keyword_is_named(schema, keyword):
    with pytest.raises(SchemaError, match=f"uses “{keyword}”"):
        load_schema(json.dumps(schema))


def test_numeric_bounds_the_grammar_cannot_hold_are_named():
    with pytest.raises(SchemaError, match="uses “minimum”"):
        load_schema('{"type": "number", "minimum": 5}')
    with pytest.raises(SchemaError, match="uses “exclusiveMaximum”"):
        load_schema('{"type": "number", "exclusiveMaximum": 1}')
    for held in (
        '{"type": "number", "minimum": 0, "maximum": 1}',
        '{"type": "integer", "minimum": 1, "maximum": 5}',
        '{"type": "integer", "minimum": 0}',
    ):
        load_schema(held)


def test_bounded_numbers_become_grammar_rules():
    from desktop_chat.engine.backend import json_grammar

    grammar = json_grammar(
        json.dumps({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1,
                    "maximum": 3}}, "required": ["n"]})
    )  # fmt: skip
    assert '("1" | "2" | "3") space' in grammar._grammar
    assert "__bounded_number" not in grammar._grammar
    # Strings hold no raw control characters (a newline would not be JSON).
    assert "\\x00-\\x1F" in json_grammar(json.dumps({"type": "string"}))._grammar


def test_not_json_remote_refs_and_non_objects_are_sentences():
    with pytest.raises(SchemaError, match="not valid JSON"):
        load_schema("{type: object}")
    with pytest.raises(SchemaError, match="must be a JSON object"):
        load_schema("[1, 2]")
    with pytest.raises(SchemaError, match="outside itself"):
        load_schema('{"$ref": "https://example.com/schema.json"}')


def test_the_checker_finds_what_breaks_a_schema():
    schema = load_schema(FEEDBACK_SCHEMA)
    good = {"sentiment": "negative", "confidence": 0.8, "summary": "Scratched lampshade."}
    assert problems(good, schema) == []
    assert problems({**good, "sentiment": "angry"}, schema)
    assert problems({**good, "confidence": 1.5}, schema) == ["$.confidence is above 1"]
    assert problems({"sentiment": "neutral", "confidence": 0.5}, schema) == ["$.summary is missing"]
    assert problems({**good, "extra": 1}, schema) == ["$.extra is not allowed"]
    assert problems({**good, "confidence": "high"}, schema) == ["$.confidence should be number"]
    assert problems([1], {"type": "array", "items": {"type": "string"}}) == [
        "$[0] should be string"
    ]


@pytest.fixture
def client(qtbot, smollm_path) -> Iterator[EngineClient]:
    engine = EngineClient()
    with qtbot.waitSignal(engine.model_loaded, timeout=180_000):
        engine.load(LoadParams(path=smollm_path, n_ctx=2048))
    yield engine
    engine.shutdown()


def _generate(qtbot, client: EngineClient, request: ChatRequest) -> tuple[str, list[str]]:
    pieces: list[str] = []
    failed: list[str] = []
    done: list[bool] = []
    client.chunk.connect(lambda _rid, text: pieces.append(text))
    client.finished.connect(lambda _rid, _stats: done.append(True))
    client.failed.connect(lambda _rid, message: (failed.append(message), done.append(True)))
    client.generate(request)
    qtbot.waitUntil(lambda: bool(done), timeout=180_000)
    return "".join(pieces), failed


def test_the_real_model_answers_json_that_matches_the_schema(qtbot, client):
    request = ChatRequest(
        history=(ChatMessage("user", "Fast delivery, but the lampshade arrived scratched."),),
        system="Analyse the customer feedback. Reply with JSON only.",
        gen=GenParams(max_tokens=160, temperature=0.1, seed=7),
        json_schema=FEEDBACK_SCHEMA,
    )
    text, failed = _generate(qtbot, client, request)
    assert failed == []
    document = json.loads(text)
    assert problems(document, json.loads(FEEDBACK_SCHEMA)) == [], text


def test_an_unsupported_schema_fails_the_turn_with_the_sentence(qtbot, client):
    request = ChatRequest(
        history=(ChatMessage("user", "Hi"),),
        gen=GenParams(max_tokens=8),
        json_schema=json.dumps({"type": "object", "minProperties": 2}),
    )
    text, failed = _generate(qtbot, client, request)
    assert text == "" and len(failed) == 1 and "“minProperties”" in failed[0]
