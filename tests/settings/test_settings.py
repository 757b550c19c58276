"""Settings: declarations, validation, file round trip, migration, damage recovery, overrides."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from desktop_chat import paths, settings
from desktop_chat.engine.types import GenParams, LoadParams

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def eight_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """inference.n_threads is capped at this machine's logical cores; these tests describe an
    8-core machine, whatever runs them (the cap itself is tested with 2)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 8)


# A valid value other than the default for every setting; the first test keeps it complete.
NON_DEFAULT: dict[str, Any] = {
    "inference.n_ctx": 8192,
    "inference.n_gpu_layers": 12,
    "inference.n_threads": 3,
    "inference.n_batch": 1024,
    "inference.flash_attn": False,
    "inference.use_mmap": False,
    "inference.use_mlock": True,
    "inference.kv_cache_type": "q8_0",
    "inference.speculative": "off",
    "inference.draft_model": "/models/draft.gguf",
    "inference.state_cache_mb": 64,
    "generation.temperature": 1.3,
    "generation.top_p": 0.8,
    "generation.top_k": 7,
    "generation.min_p": 0.2,
    "generation.repeat_penalty": 1.5,
    "generation.max_tokens": 300,
    "generation.seed": 1234,
    "generation.stop": ("<|end|>", "\n\nUser:"),
    "generation.system_prompt": "回答要简短。\nBe brief.",
    "generation.chat_format": "custom",
    "generation.custom_template": "{% for m in messages %}{{ m.content }}{% endfor %}",
    "generation.thinking": "off",
    "appearance.theme": "dark",
    "appearance.font_size": 14,
    "appearance.chat_width": 1200,
    "appearance.kiosk_idle_minutes": 10,
    "appearance.kiosk_pin": "2468",
    "app.language": "zh_CN",
    "app.current_model": "/models/SmolLM2-135M-Instruct.Q4_1.gguf",
    "app.context_policy": "ask",
    "app.last_profile": "shop demo",
    "server.enabled": True,
    "server.host": "0.0.0.0",
    "server.port": 1337,
    "server.api_key": "dc-secret",
    "server.cors_origins": ("http://localhost:3000",),
    "server.max_queue": 2,
    "server.max_body_kb": 64,
    "server.log_bodies": True,
    "remote.connect_timeout_s": 5.0,
    "remote.stall_timeout_s": 120.0,
    "remote.default_context": 8192,
}


def test_every_field_has_a_non_default_test_value() -> None:
    assert list(NON_DEFAULT) == list(settings.FIELDS)
    for key, value in NON_DEFAULT.items():
        assert value != settings.FIELDS[key].default, key


def test_fields_describe_themselves() -> None:
    fields = settings.FIELDS
    assert fields["inference.n_batch"].default == 512
    assert (fields["inference.n_batch"].min, fields["inference.n_batch"].max) == (32, 4096)
    assert fields["inference.n_ctx"].needs_reload
    assert not fields["generation.temperature"].needs_reload
    assert fields["inference.kv_cache_type"].choices == ("f16", "q8_0", "q4_0")
    assert fields["generation.stop"].type is tuple
    assert fields["inference.n_gpu_layers"].special[0][0] == -1
    for key, field in fields.items():
        assert field.key == key and field.label, key
        assert settings.get_value(settings.Settings(), key) == field.default


def test_round_trip_of_every_setting(tmp_path: Path) -> None:
    changed = settings.Settings()
    for key, value in NON_DEFAULT.items():
        changed = settings.with_value(changed, key, value)
    changed = settings.with_model_override(changed, "a.gguf", "inference.n_ctx", 2048)
    target = tmp_path / "settings.json"
    settings.save(changed, target)
    result = settings.load(target)
    assert result.warnings == []
    assert result.settings == changed
    for key, value in NON_DEFAULT.items():
        assert settings.get_value(result.settings, key) == value


def test_default_path_and_defaults_not_written() -> None:
    settings.save(settings.with_value(settings.Settings(), "generation.top_k", 5))
    doc = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert doc["schema_version"] == settings.SCHEMA_VERSION
    assert doc["generation"] == {"top_k": 5}
    assert doc["inference"] == {}
    assert settings.load().settings.generation.top_k == 5


def test_missing_file_gives_defaults_quietly(tmp_path: Path) -> None:
    result = settings.load(tmp_path / "nothing.json")
    assert result.settings == settings.Settings() and result.warnings == []


def test_migration_from_v1_fixture(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    shutil.copy(FIXTURES / "settings_v1.json", target)
    result = settings.load(target)
    assert result.warnings == []
    s = result.settings
    assert s.app.current_model == "/home/user/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    assert s.inference.n_ctx == 0  # v1 null = auto
    assert s.inference.n_gpu_layers == -1  # v1 "auto"
    assert s.inference.n_threads == 4
    assert s.inference.n_batch == 256
    assert s.inference.flash_attn is False
    assert s.generation.temperature == 0.3
    assert s.generation.seed == 42
    assert s.generation.stop == ("</s>", "<|im_end|>")  # v1 comma-separated string
    assert s.generation.system_prompt == "You answer questions about the shop."
    assert s.generation.chat_format == "chatml"
    assert s.appearance.theme == "system"  # v1 "auto"
    assert (s.appearance.font_size, s.appearance.chat_width) == (13, 900)
    assert s.app.language == "zh_CN"  # moved from ui to app
    assert s.app.context_policy == "drop_oldest"  # v1 "truncate"
    assert settings.model_overrides(s, "gemma-3-270m-q4_k_m.gguf") == {
        "inference.n_ctx": 1024,
        "generation.chat_format": "gemma",
        "generation.temperature": 1.0,
    }
    # Saving writes the current version, which loads back identically.
    settings.save(s, target)
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 2
    assert settings.load(target) == settings.LoadResult(s, [])


def test_corrupt_file_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text('{"generation": {"temperature": 0.2', encoding="utf-8")
    result = settings.load(target)
    assert result.settings == settings.Settings()
    assert not target.exists()
    [aside] = tmp_path.glob("settings.json.corrupt-*")
    assert aside.read_text(encoding="utf-8").startswith('{"generation"')
    [warning] = result.warnings
    assert str(aside) in warning and "default" in warning


def test_undecodable_file_is_moved_aside(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"\xff\xfe\x00garbage")
    result = settings.load(target)
    assert result.settings == settings.Settings()
    [aside] = tmp_path.glob("settings.json.corrupt-*")
    assert str(aside) in result.warnings[0]


@pytest.mark.parametrize("content", ["[1, 2]", '"text"', "42", "null"])
def test_json_that_is_not_an_object_is_moved_aside(tmp_path: Path, content: str) -> None:
    target = tmp_path / "settings.json"
    target.write_text(content, encoding="utf-8")
    result = settings.load(target)
    assert result.settings == settings.Settings()
    [aside] = tmp_path.glob("settings.json.corrupt-*")
    [warning] = result.warnings
    assert "object" in warning and str(aside) in warning


@pytest.mark.parametrize(
    ("section", "name", "bad"),
    [
        ("inference", "n_batch", 8),  # below range
        ("inference", "n_batch", "512"),  # wrong type
        ("generation", "temperature", 9.5),  # above range
        ("inference", "kv_cache_type", "q2_k"),  # unknown choice
        ("inference", "flash_attn", "yes"),  # a string is not a bool in the file
        ("generation", "top_k", True),  # a bool is not an int
        ("generation", "stop", [1, 2]),  # not a list of strings
    ],
)
def test_one_invalid_value_only_defaults_that_key(
    tmp_path: Path, section: str, name: str, bad: Any
) -> None:
    target = tmp_path / "settings.json"
    doc: dict[str, Any] = {
        "schema_version": 2,
        "inference": {"n_threads": 2},
        "generation": {"max_tokens": 64},
        "appearance": {"font_size": 20},
    }
    doc[section] = {**doc.get(section, {}), name: bad}
    target.write_text(json.dumps(doc), encoding="utf-8")
    result = settings.load(target)
    key = f"{section}.{name}"
    assert settings.get_value(result.settings, key) == settings.FIELDS[key].default
    assert result.settings.inference.n_threads == 2
    assert result.settings.generation.max_tokens == 64
    assert result.settings.appearance.font_size == 20
    [warning] = result.warnings
    assert key in warning
    assert target.exists()  # the file itself is kept


def test_unknown_keys_are_ignored_with_a_hint(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    doc = {
        "schema_version": 2,
        "generation": {"temprature": 0.1, "top_k": 3},
        "someday": {"feature": 1},
        "per_model": {"m.gguf": {"appearance.theme": "dark", "inference.n_ctx": 512}},
    }
    target.write_text(json.dumps(doc), encoding="utf-8")
    result = settings.load(target)
    assert result.settings.generation.top_k == 3
    assert result.settings.generation.temperature == 0.7
    assert settings.model_overrides(result.settings, "m.gguf") == {"inference.n_ctx": 512}
    assert len(result.warnings) == 2
    assert "generation.temperature" in result.warnings[0]  # did-you-mean
    assert "appearance.theme" in result.warnings[1]


def test_a_section_that_is_not_an_object_defaults_alone(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    doc = {"schema_version": 2, "inference": [], "generation": {"top_k": 3}}
    target.write_text(json.dumps(doc), encoding="utf-8")
    result = settings.load(target)
    assert result.settings.generation.top_k == 3
    assert "inference" in result.warnings[0]


def test_file_from_a_newer_version_is_read_and_backed_up(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema_version": 99, "generation": {"top_k": 3}}), "utf-8")
    result = settings.load(target)
    assert result.settings.generation.top_k == 3
    assert (tmp_path / "settings.json.v99-backup").exists()
    assert "newer version" in result.warnings[0]


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    target = folder / "settings.json"
    s = settings.with_value(settings.Settings(), "appearance.font_size", 15)
    for size in (15, 16, 17):
        settings.save(settings.with_value(s, "appearance.font_size", size), target)
    assert [p.name for p in folder.iterdir()] == ["settings.json"]
    assert settings.load(target).settings.appearance.font_size == 17


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "config"
    target = folder / "settings.json"
    settings.save(settings.with_value(settings.Settings(), "generation.top_k", 5), target)

    def failing_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("desktop_chat.fsutil.os.fsync", failing_fsync)
    with pytest.raises(OSError):
        settings.save(settings.Settings(), target)
    assert [p.name for p in folder.iterdir()] == ["settings.json"]
    assert settings.load(target).settings.generation.top_k == 5


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("inference.flash_attn", "off", False),
        ("inference.flash_attn", "YES", True),
        ("inference.use_mlock", "1", True),
        ("inference.n_ctx", " 2048 ", 2048),
        ("generation.temperature", "0.25", 0.25),
        ("generation.stop", "a, b ,,c", ("a", "b", "c")),
        ("generation.stop", '["x,y", "\\n"]', ("x,y", "\n")),
        ("generation.stop", "", ()),
        ("appearance.theme", "Dark", "dark"),
        ("app.language", "zh_cn", "zh_CN"),
        ("generation.system_prompt", "  Be terse.", "  Be terse."),
    ],
)
def test_with_value_parses_text(key: str, text: str, expected: Any) -> None:
    assert settings.get_value(settings.with_value(settings.Settings(), key, text), key) == expected


def test_with_value_rejects_unknown_key_with_suggestion() -> None:
    with pytest.raises(settings.SettingsError, match=r"Did you mean generation\.temperature"):
        settings.with_value(settings.Settings(), "generation.temprature", "1")
    with pytest.raises(settings.SettingsError, match=r"Did you mean generation\.top_k"):
        settings.with_value(settings.Settings(), "top_k", "1")
    with pytest.raises(settings.SettingsError, match="no setting"):
        settings.get_value(settings.Settings(), "nonsense")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("inference.n_batch", "16", "between 32 and 4096 tokens"),
        ("generation.temperature", 2.5, "between 0 and 2"),
        ("inference.n_gpu_layers", "-2", "-1 = Auto"),
        ("generation.top_p", "nan", "finite"),
        ("inference.kv_cache_type", "q2", "one of f16, q8_0, q4_0"),
        ("inference.flash_attn", "maybe", "true or false"),
        ("inference.n_ctx", "big", "whole number"),
        ("generation.stop", "[1]", "list of strings"),
        ("generation.stop", "[oops", "JSON list"),
        ("generation.seed", 1.5, "whole number"),
    ],
)
def test_with_value_rejects_bad_values(key: str, value: Any, message: str) -> None:
    with pytest.raises(settings.SettingsError, match=message.replace(".", r"\.")) as caught:
        settings.with_value(settings.Settings(), key, value)
    assert key in str(caught.value)


def test_settings_are_immutable() -> None:
    s = settings.Settings()
    with pytest.raises(AttributeError):
        s.generation.temperature = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.per_model["x"] = {}  # type: ignore[index]
    assert hash(s) == hash(settings.Settings())


def test_per_model_overrides_set_and_reset() -> None:
    s = settings.Settings()
    s = settings.with_model_override(s, "a.gguf", "inference.n_ctx", "2048")
    s = settings.with_model_override(s, "a.gguf", "generation.chat_format", "gemma")
    s = settings.with_model_override(s, "b.gguf", "generation.temperature", 0.1)
    assert settings.model_overrides(s, "a.gguf") == {
        "inference.n_ctx": 2048,
        "generation.chat_format": "gemma",
    }
    one_less = settings.without_model_override(s, "a.gguf", "inference.n_ctx")
    assert settings.model_overrides(one_less, "a.gguf") == {"generation.chat_format": "gemma"}
    none_left = settings.without_model_override(s, "a.gguf", None)
    assert settings.model_overrides(none_left, "a.gguf") == {}
    assert "a.gguf" not in none_left.per_model
    assert settings.model_overrides(none_left, "b.gguf") == {"generation.temperature": 0.1}
    assert settings.model_overrides(s, "unknown.gguf") == {}
    with pytest.raises(settings.SettingsError, match="between"):
        settings.with_model_override(s, "a.gguf", "inference.n_ctx", -5)
    with pytest.raises(settings.SettingsError, match="per model"):
        settings.with_model_override(s, "a.gguf", "appearance.theme", "dark")
    with pytest.raises(settings.SettingsError, match="Did you mean"):
        settings.with_model_override(s, "a.gguf", "inference.n_ctxx", 5)


def test_resolution_order() -> None:
    s = settings.with_value(settings.Settings(), "generation.temperature", 0.5)
    s = settings.with_value(s, "generation.top_k", 10)
    s = settings.with_value(s, "inference.n_ctx", 1024)
    s = settings.with_model_override(s, "m.gguf", "generation.temperature", 0.3)
    s = settings.with_model_override(s, "m.gguf", "generation.top_k", 20)
    conversation = {"generation.temperature": 0.1, "generation.bogus": 1, "generation.top_p": 7}

    assert settings.effective(s).generation.temperature == 0.5  # global beats default
    per_model = settings.effective(s, "m.gguf")
    assert per_model.generation.temperature == 0.3  # per-model beats global
    assert per_model.generation.top_k == 20
    assert per_model.inference.n_ctx == 1024  # global shows through
    assert per_model.generation.min_p == 0.05  # default shows through
    full = settings.effective(s, "m.gguf", conversation)
    assert full.generation.temperature == 0.1  # conversation beats per-model
    assert full.generation.top_k == 20
    assert full.generation.top_p == 0.95  # invalid conversation value skipped
    assert settings.effective(s, "other.gguf").generation.temperature == 0.5
    assert settings.effective(s, None, {"generation.top_k": 1}).generation.top_k == 1


def test_engine_parameters() -> None:
    s = settings.Settings()
    s = settings.with_value(s, "generation.stop", ["</s>"])
    s = settings.with_value(s, "generation.seed", 7)
    s = settings.with_value(s, "inference.kv_cache_type", "q4_0")
    load = settings.to_load_params(s, "/m/x.gguf")
    assert isinstance(load, LoadParams)
    assert load.path == Path("/m/x.gguf")
    assert load.n_gpu_layers == -1  # Auto is resolved by the engine
    assert load.n_ctx == 0
    assert load.n_threads == settings.physical_cores() >= 1
    assert (load.n_batch, load.flash_attn, load.use_mmap, load.use_mlock) == (
        512,
        True,
        True,
        False,
    )
    assert (load.chat_format, load.seed, load.kv_cache_type) == ("auto", 7, "q4_0")
    fixed = settings.to_load_params(settings.with_value(s, "inference.n_threads", 3), "/m/x.gguf")
    assert fixed.n_threads == 3
    gen = settings.to_gen_params(s)
    assert gen == GenParams(stop=("</s>",), seed=7)
    assert settings.model_key_for("/m/x.gguf") == "x.gguf"


def test_reload_needed() -> None:
    old = settings.Settings()
    new = settings.with_value(old, "inference.n_ctx", 2048)
    new = settings.with_value(new, "generation.chat_format", "chatml")
    new = settings.with_value(new, "generation.temperature", 0.1)
    new = settings.with_value(new, "appearance.font_size", 20)
    assert settings.reload_needed(old, new) == ["inference.n_ctx", "generation.chat_format"]
    assert settings.reload_needed(old, old) == []


def test_threads_above_the_logical_cores_are_refused_naming_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(settings.SettingsError) as caught:
        settings.with_value(settings.Settings(), "inference.n_threads", "256")
    assert str(caught.value) == (
        "inference.n_threads must be at most 2, the number of logical cores on this computer "
        "(0 = one per physical core); got 256."
    )
    assert (
        settings.with_value(settings.Settings(), "inference.n_threads", 2).inference.n_threads == 2
    )
    with pytest.raises(settings.SettingsError, match="at most 2"):
        settings.with_model_override(settings.Settings(), "m.gguf", "inference.n_threads", 3)


def test_a_file_with_more_threads_than_cores_falls_back_for_that_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema_version": 2, "inference": {"n_threads": 256}}))
    result = settings.load(target)
    assert result.settings.inference.n_threads == 0
    [warning] = result.warnings
    assert "at most 2" in warning and "default (0)" in warning


@pytest.mark.parametrize("value", ['[""]', '["</s>", ""]', ["", "x"]])
def test_an_empty_stop_sequence_is_refused(value: Any) -> None:
    with pytest.raises(settings.SettingsError, match="empty stop sequence"):
        settings.with_value(settings.Settings(), "generation.stop", value)


def test_the_cli_refuses_empty_stop_strings_and_too_many_threads(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.commands.test_config_cli import run

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert run("config", "set", "generation.stop", '[""]') != 0
    assert "empty stop sequence" in capsys.readouterr().err
    assert run("config", "set", "inference.n_threads", "256") != 0
    assert "at most 2, the number of logical cores" in capsys.readouterr().err
    assert not paths.settings_file().exists()


def test_a_deeply_nested_file_is_moved_aside_not_a_recursion_error(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text('{"generation": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = settings.load(target)
    assert result.settings == settings.Settings()
    assert not target.exists()
    [aside] = tmp_path.glob("settings.json.corrupt-*")
    [warning] = result.warnings
    assert "nested more than" in warning and str(aside) in warning
    assert settings.load(target).warnings == []  # the next start is clean


def test_a_deeply_nested_stop_list_is_a_sentence() -> None:
    with pytest.raises(settings.SettingsError, match="nested more than"):
        settings.with_value(settings.Settings(), "generation.stop", "[" * 100_000)
