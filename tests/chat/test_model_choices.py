"""The chat's model choices: local GGUFs under the one display name, remote models from the cache."""

from __future__ import annotations

from pathlib import Path

from desktop_chat.chat import model_choices
from desktop_chat.engine import endpoints, remote_models
from desktop_chat.engine.worker import display_name


def test_local_and_remote_side_by_side(smollm_path: Path) -> None:
    endpoints.add(endpoints.Endpoint("lab", "127.0.0.1:8080", endpoints.Preset.LLAMA_SERVER))
    remote_models.remember("lab", [remote_models.RemoteModel("qwen-7b", 8192)])
    choices = model_choices.list_choices()
    local = [c for c in choices if c.kind == "local"]
    remote = [c for c in choices if c.kind == "remote"]
    assert any(c.path == smollm_path and c.display_name == display_name(smollm_path) for c in local)
    assert [(c.id, c.endpoint, c.model) for c in remote] == [
        ("remote:lab/qwen-7b", "lab", "qwen-7b")
    ]
    assert choices.index(remote[0]) > choices.index(local[-1])
    assert model_choices.choice_for("remote:lab/qwen-7b") == remote[0]
    assert model_choices.choice_for(local[0].id) == local[0]


def test_remote_list_survives_a_restart_through_the_disk_cache() -> None:
    endpoints.add(endpoints.Endpoint("box", "http://10.0.0.2:8000/v1", endpoints.Preset.VLLM))
    remote_models.remember("box", [remote_models.RemoteModel("m", 0)])
    remote_models._loaded_from = None  # what a new process sees
    assert [c.model for c in model_choices.remote_choices()] == ["m"]
    assert model_choices.list_choices(include_remote=False) == model_choices.local_choices()


def test_refresh_fills_the_cache_and_names_the_endpoints_it_could_not_reach() -> None:
    from tests.fakes import remote_servers

    with remote_servers.running(remote_servers.start_fake()) as url:
        endpoints.add(endpoints.Endpoint("fake", url))
        endpoints.add(endpoints.Endpoint("gone", f"http://127.0.0.1:{remote_servers.free_port()}"))
        failures = model_choices.refresh_remote()
    assert list(failures) == ["gone"] and "Nothing answers at" in failures["gone"]
    remote = [c.model for c in model_choices.remote_choices() if c.endpoint == "fake"]
    assert "ok" in remote and "stall" in remote
