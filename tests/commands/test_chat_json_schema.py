"""`desktop-chat chat --json-schema FILE` prints only a JSON document that matches the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from desktop_chat.chat.profiles import FEEDBACK_SCHEMA
from desktop_chat.engine.json_schema import problems
from desktop_chat.store import open_store
from tests.commands.streaming import child_env, run_chat


def test_the_answer_is_only_the_json_document(app_home: Path, smollm_path: Path) -> None:
    schema = app_home / "feedback.json"
    schema.write_text(FEEDBACK_SCHEMA, encoding="utf-8")
    result = run_chat(
        app_home,
        "--model", str(smollm_path), "--seed", "7", "--max-tokens", "160",
        "--system", "Analyse the customer feedback. Reply with JSON only.",
        "--json-schema", str(schema),
        "The lamp is lovely and arrived a day early.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert problems(document, json.loads(FEEDBACK_SCHEMA)) == []
    store, _ = open_store(app_home / "data" / "conversations.sqlite3")
    try:
        [conversation] = store.list_conversations()
        answer = store.active_thread(conversation.id)[-1]
        assert json.loads(answer.content) == document
    finally:
        store.close()


def test_an_unsupported_keyword_is_a_sentence_before_any_model_loads(app_home: Path) -> None:
    schema = app_home / "tags.json"
    schema.write_text(json.dumps({"type": "array", "uniqueItems": True}), encoding="utf-8")
    result = run_chat(app_home, "--model", "/nonexistent.gguf", "--json-schema", str(schema), "Hi")
    assert result.returncode == 2
    assert "“uniqueItems”" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_missing_or_broken_schema_file_is_a_sentence(app_home: Path) -> None:
    result = run_chat(app_home, "--json-schema", str(app_home / "nope.json"), "Hi")
    assert result.returncode == 2 and "could not read the JSON schema" in result.stderr
    broken = app_home / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = run_chat(app_home, "--json-schema", str(broken), "Hi")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


OPENING_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n<think>\n{% endif %}"
)


def test_reasoning_goes_to_stderr_only_when_asked(app_home: Path, smollm_path: Path) -> None:
    for key, value in (
        ("generation.chat_format", "custom"),
        ("generation.custom_template", OPENING_TEMPLATE),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "desktop_chat", "config", "set", key, value],
            capture_output=True, text=True, env=child_env(app_home), timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    args = (
        "--model",
        str(smollm_path),
        "--seed",
        "3",
        "--max-tokens",
        "24",
        "Why is the sky blue?",
    )
    quiet = run_chat(app_home, *args)
    shown = run_chat(app_home, "--show-reasoning", *args)
    assert quiet.returncode == shown.returncode == 0, shown.stderr
    # The starter model never closes the block the template opened: all of it is reasoning.
    assert quiet.stdout.strip() == shown.stdout.strip() == ""
    store, _ = open_store(app_home / "data" / "conversations.sqlite3")
    try:
        answers = [store.active_thread(c.id)[-1] for c in store.list_conversations()]
    finally:
        store.close()
    assert all(a.reasoning.strip() and a.content == "" for a in answers)
    assert answers[0].reasoning.strip() in shown.stderr
    assert answers[0].reasoning.strip() not in quiet.stderr
