"""`desktop-chat config`: get, set, reset, path and list against the isolated settings file."""

from __future__ import annotations

import argparse
import json

import pytest

from desktop_chat import paths, settings
from desktop_chat.commands import config


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="desktop-chat")
    config.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    result: int = args.func(args)
    return result


def test_path_prints_the_settings_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "path") == 0
    assert capsys.readouterr().out.strip() == str(paths.settings_file())


def test_get_prints_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "get", "generation.temperature") == 0
    assert capsys.readouterr().out == "0.7\n"
    assert run("config", "get", "inference.flash_attn") == 0
    assert capsys.readouterr().out == "true\n"


def test_set_then_get(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "set", "inference.n_ctx", "8192") == 0
    assert run("config", "set", "inference.flash_attn", "off") == 0
    assert run("config", "set", "generation.stop", "</s>,END") == 0
    capsys.readouterr()
    assert run("config", "get", "inference.n_ctx") == 0
    assert run("config", "get", "inference.flash_attn") == 0
    assert run("config", "get", "generation.stop") == 0
    assert capsys.readouterr().out.splitlines() == ["8192", "false", '["</s>", "END"]']
    stored = settings.load().settings
    assert stored.inference.n_ctx == 8192
    assert stored.generation.stop == ("</s>", "END")


def test_set_rejects_unknown_key_with_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "set", "generation.temprature", "0.2") != 0
    err = capsys.readouterr().err
    assert "generation.temprature" in err and "Did you mean generation.temperature" in err
    assert not paths.settings_file().exists()


def test_set_rejects_out_of_range_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "set", "inference.n_batch", "8") != 0
    err = capsys.readouterr().err
    assert "inference.n_batch" in err and "between 32 and 4096" in err
    assert not paths.settings_file().exists()


def test_set_rejects_bad_choice_and_keeps_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "set", "appearance.theme", "dark") == 0
    before = paths.settings_file().read_text(encoding="utf-8")
    assert run("config", "set", "appearance.theme", "neon") != 0
    assert "system, light, dark" in capsys.readouterr().err
    assert paths.settings_file().read_text(encoding="utf-8") == before


def test_get_unknown_key_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "get", "temperature") != 0
    assert "generation.temperature" in capsys.readouterr().err


def test_list_shows_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("config", "set", "generation.system_prompt", "line one\nline two") == 0
    capsys.readouterr()
    assert run("config", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" = ")[0] for line in lines] == list(settings.FIELDS)
    assert "generation.top_k = 40" in lines
    assert 'generation.system_prompt = "line one\\nline two"' in lines


def test_model_override_set_get_list_reset(capsys: pytest.CaptureFixture[str]) -> None:
    model = "/models/gemma-3-270m-q4_k_m.gguf"
    assert run("config", "set", "--model", model, "generation.chat_format", "gemma") == 0
    assert run("config", "get", "--model", model, "generation.chat_format") == 0
    assert run("config", "get", "generation.chat_format") == 0
    assert capsys.readouterr().out.splitlines() == ["gemma", "auto"]
    doc = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    assert doc["per_model"] == {"gemma-3-270m-q4_k_m.gguf": {"generation.chat_format": "gemma"}}
    assert run("config", "list", "--model", model) == 0
    assert 'generation.chat_format = "gemma"  # model override' in capsys.readouterr().out
    assert run("config", "reset", "--model", model, "generation.chat_format") == 0
    assert settings.load().settings.per_model == {}
    assert run("config", "set", "--model", model, "appearance.theme", "dark") != 0
    assert "per model" in capsys.readouterr().err


def test_reset_to_default() -> None:
    assert run("config", "set", "generation.top_k", "5") == 0
    assert run("config", "reset", "generation.top_k") == 0
    assert settings.load().settings.generation.top_k == 40


def test_corrupt_file_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    paths.settings_file().write_text("not json", encoding="utf-8")
    assert run("config", "get", "generation.top_k") == 0
    captured = capsys.readouterr()
    assert captured.out == "40\n"
    assert "warning:" in captured.err and ".corrupt-" in captured.err


def test_config_without_subcommand_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        run("config")
    assert exited.value.code == 2
