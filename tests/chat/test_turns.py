"""A turn's request from settings, profile and knowledge base; which sources are shown."""

from __future__ import annotations

from desktop_chat import settings as settings_mod
from desktop_chat.chat.profiles import ProfileStore
from desktop_chat.chat.turns import build_turn, shown_citations
from desktop_chat.engine.types import ChatMessage

CITATIONS = [
    {"id": "a", "score": 9.0, "text": "A"},
    {"id": "b", "score": 6.0, "text": "B"},
    {"id": "c", "score": 2.0, "text": "C"},
    {"id": "d", "score": 1.0, "text": "D"},
]


def test_cited_passages_are_shown_first() -> None:
    assert [c["id"] for c in shown_citations("See [2] and [4].", CITATIONS)] == ["b", "d"]


def test_without_markers_the_strong_few_are_shown() -> None:
    assert [c["id"] for c in shown_citations("Two days.", CITATIONS)] == ["a", "b"]
    assert shown_citations("Anything", []) == []


def test_a_profile_sets_prompt_sampling_and_grounds_the_question() -> None:
    profile = ProfileStore().get("customer-service")
    turn = build_turn(
        settings_mod.Settings(),
        [ChatMessage("user", "How long do refunds take?")],
        model_key=None,
        profile=profile,
    )
    assert turn.citations and "refund" in turn.request.system.lower()
    assert turn.request.gen.temperature <= 0.3


def test_the_conversation_policy_wins() -> None:
    turn = build_turn(
        settings_mod.Settings(), [ChatMessage("user", "hi")], model_key=None, policy="ask"
    )
    assert turn.request.policy == "ask" and turn.citations == []
