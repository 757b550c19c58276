"""A remote server's delta.reasoning_content (llama-server, vLLM, LM Studio) counts as reasoning."""

from __future__ import annotations

from desktop_chat.engine.reasoning import ReasoningSplitter
from desktop_chat.engine.remote_http import StreamOutcome, _apply_event


def _delta(**fields: str) -> dict:
    return {"choices": [{"index": 0, "delta": fields}]}


def test_reasoning_content_is_wrapped_so_the_splitter_puts_it_apart():
    outcome = StreamOutcome()
    events = [
        _delta(reasoning_content="The user"),
        _delta(reasoning_content=" greets me."),
        _delta(content=""),
        _delta(content="Hello"),
        _delta(content="!"),
    ]
    splitter = ReasoningSplitter()
    for event in events:
        splitter.feed(_apply_event(event, outcome))
    splitter.finish()
    assert (splitter.reasoning, splitter.answer) == ("The user greets me.", "Hello!")


def test_vllm_reasoning_field_and_a_stream_that_ends_while_thinking():
    outcome = StreamOutcome()
    splitter = ReasoningSplitter()
    splitter.feed(_apply_event(_delta(reasoning="still thinking"), outcome))
    splitter.finish()
    assert (splitter.reasoning, splitter.answer) == ("still thinking", "")
