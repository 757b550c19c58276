"""Assistant profiles: built-ins, user CRUD persisted atomically, and a malformed file."""

from __future__ import annotations

import json

import pytest

from desktop_chat import paths
from desktop_chat.chat.profiles import BUILTIN_PROFILES, ProfileError, ProfileStore, profiles_file


def test_builtins_are_there_and_localised() -> None:
    store = ProfileStore()
    ids = [p.id for p in store.all()]
    assert ids[:6] == [
        "general", "customer-service", "translator", "summarizer", "feedback", "code-helper"
    ]  # fmt: skip
    service = store.get("customer-service")
    assert service.knowledge_base == "shop-demo" and service.suggestions
    zh = service.localized("zh_CN")
    assert zh.name == "客服助手" and zh.suggestions[0] == "退款多久到账？"
    assert service.localized("fr").name == "Customer service"
    assert not profiles_file().exists()


def test_create_edit_duplicate_delete_persist() -> None:
    store = ProfileStore()
    made = store.create(
        "Pirate", system_prompt="Talk like a pirate.", generation={"temperature": 0.9},
        suggestions=["Ahoy?"],
    )  # fmt: skip
    edited = store.update(made.id, greeting="Arr!", generation={"max_tokens": 64})
    copy = store.duplicate(made.id)
    assert copy.name == "Pirate (copy)" and copy.greeting == "Arr!" and copy.id != made.id
    reloaded = ProfileStore()
    assert reloaded.get(made.id) == edited
    assert reloaded.get(copy.id).suggestions == ("Ahoy?",)
    reloaded.delete(made.id)
    assert [p.id for p in ProfileStore().all()][-1] == copy.id
    data = json.loads(profiles_file().read_text("utf-8"))
    assert data["schema_version"] == 1 and len(data["profiles"]) == 1
    assert profiles_file().parent == paths.config_dir()


def test_builtins_are_read_only_but_can_be_duplicated() -> None:
    store = ProfileStore()
    with pytest.raises(ProfileError):
        store.update("general", name="Mine")
    with pytest.raises(ProfileError):
        store.delete("translator")
    copy = store.duplicate("customer-service", name="My shop")
    assert not copy.builtin and copy.knowledge_base == "shop-demo" and copy.translations == {}


def test_invalid_edits_are_refused() -> None:
    store = ProfileStore()
    with pytest.raises(ProfileError):
        store.create("  ")
    with pytest.raises(ProfileError):
        store.create("Bad", generation={"temperature": "hot"})
    with pytest.raises(ProfileError):
        store.create("Bad", generation={"n_gpu_layers": 3})
    with pytest.raises(ProfileError):
        store.get("nope")


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"profiles": 3}',
        '{"profiles": [{"name": "no id"}]}',
        "[]",
        '{"profiles": ' + "[" * 100_000 + "]" * 100_000 + "}",  # deeper than json.loads goes
    ],
)
def test_malformed_file_is_moved_aside(content: str) -> None:
    file = profiles_file()
    file.write_text(content, "utf-8")
    store = ProfileStore()
    assert store.notice and "built-in" in store.notice
    assert not file.exists()
    assert [p.name for p in file.parent.iterdir() if p.name.startswith("profiles.json.corrupt")]
    assert len(store.all()) == len(BUILTIN_PROFILES)
    store.create("Fresh")
    assert ProfileStore().notice is None
