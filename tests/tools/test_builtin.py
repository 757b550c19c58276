"""The built-in tools: date and time, the calculator, knowledge-base search."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop_chat.tools import builtin


def test_datetime_is_now():
    value = json.loads(builtin.run("current_datetime", {}))
    assert (
        value["date"] == dt.date.today().isoformat() or value["date"] > dt.date.today().isoformat()
    )
    assert value["weekday"]


def test_calculator_and_its_refusal():
    assert builtin.run("calculator", {"expression": "2 * (3 + 4)"}) == "14"
    with pytest.raises(builtin.BuiltinError, match="Only numbers"):
        builtin.run("calculator", {"expression": "__import__('os')"})
    with pytest.raises(builtin.BuiltinError, match="expression"):
        builtin.run("calculator", {})


def test_kb_search_without_a_knowledge_base_is_a_sentence(app_home):
    with pytest.raises(builtin.BuiltinError, match="no knowledge base"):
        builtin.run("knowledge_search", {"query": "shipping"})


def test_kb_search_finds_passages_in_the_demo_kb(app_home):
    from desktop_chat.kb import library

    name = library.ensure_demo_kb()
    text = builtin.run("knowledge_search", {"query": "How long does shipping take?"}, name)
    assert text.startswith("[") and len(text) > 40
