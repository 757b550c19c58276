"""A profile's JSON schema: checked when saved, kept in profiles.json, sent with each turn."""

from __future__ import annotations

import json

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.chat.profiles import FEEDBACK_SCHEMA, ProfileError, ProfileStore
from desktop_chat.chat.turns import build_turn
from desktop_chat.engine.types import ChatMessage


def test_the_feedback_analyzer_constrains_its_answers(tmp_path):
    store = ProfileStore(tmp_path / "profiles.json")
    feedback = store.get("feedback")
    assert feedback is not None and feedback.json_schema == FEEDBACK_SCHEMA
    turn = build_turn(
        settings_mod.Settings(), [ChatMessage("user", "Great lamp!")], model_key=None,
        profile=feedback,
    )  # fmt: skip
    assert turn.request.json_schema == FEEDBACK_SCHEMA
    # A cut-off JSON answer cannot be continued under a grammar that starts at the root.
    again = build_turn(
        settings_mod.Settings(),
        [ChatMessage("user", "Great lamp!"), ChatMessage("assistant", '{"sent')],
        model_key=None, profile=feedback, continue_last=True,
    )  # fmt: skip
    assert again.request.json_schema is None


def test_a_user_profile_keeps_its_schema_and_a_bad_one_is_a_sentence(tmp_path):
    store = ProfileStore(tmp_path / "profiles.json")
    schema = json.dumps({"type": "object", "properties": {"ok": {"type": "boolean"}}})
    made = store.create("Checker", json_schema=schema)
    assert ProfileStore(tmp_path / "profiles.json").get(made.id).json_schema == schema
    with pytest.raises(ProfileError, match="“uniqueItems”"):
        store.create("Broken", json_schema='{"type": "array", "uniqueItems": true}')
