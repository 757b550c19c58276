"""`desktop-chat bench --peers`: peer figures only with --peers, never faked, a sentence if unbuilt."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.bench import peers, peers_bench
from desktop_chat.bench.report import Figure
from desktop_chat.commands import bench
from desktop_chat.engine.backend import llama_cpp_version

PEER_NAMES = {"engine tokens/s vs llama-bench", "engine tokens/s vs llama-server"}


@pytest.fixture
def quick_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine figures are measured elsewhere (tests/bench/test_*_bench.py); here: wiring."""
    from desktop_chat.bench import engine_bench

    monkeypatch.setattr(
        engine_bench, "run", lambda model: [Figure("engine stub", 1.0, "ratio", ">= 0.97")]
    )


def _args(tmp_path: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.register(parser.add_subparsers())
    return parser.parse_args(
        ["bench", "--only", "engine", "--json", str(tmp_path / "f.json"), *extra]
    )


def test_without_peers_there_are_no_peer_figures(quick_engine, tmp_path: Path) -> None:
    bench.run(_args(tmp_path))
    names = {f["name"] for f in json.loads((tmp_path / "f.json").read_text())}
    assert names == {"engine stub"} and not names & PEER_NAMES


def test_peers_not_built_is_a_sentence_not_a_figure(
    quick_engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.run(_args(tmp_path, "--peers")) == 2
    err = capsys.readouterr().err
    assert "not built yet" in err and "--build-peers" in err and "Traceback" not in err
    assert not (tmp_path / "f.json").exists()


def test_a_failing_build_is_a_sentence(
    quick_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    def no_cmake(cache: Path, version: str) -> peers.Peers:
        raise FileNotFoundError(2, "No such file or directory", "cmake")

    monkeypatch.setattr(peers, "build", no_cmake)
    assert bench.run(_args(tmp_path, "--peers", "--build-peers")) == 2
    err = capsys.readouterr().err
    assert "could not be built or run" in err and "cmake" in err


def test_with_peers_their_figures_join_the_same_run(
    quick_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.bench.test_peers import _install_fakes

    _install_fakes(paths.cache_dir(), llama_cpp_version())
    measured: list[Path] = []
    real_run = peers_bench.run

    def one_round(model: Path, found: peers.Peers) -> list[Figure]:
        measured.append(found.bench)
        return real_run(model, found, rounds=1)

    monkeypatch.setattr(peers_bench, "run", one_round)
    bench.run(_args(tmp_path, "--peers"))
    names = {f["name"] for f in json.loads((tmp_path / "f.json").read_text())}
    assert names == {"engine stub"} | PEER_NAMES
    assert (
        measured
        and measured[0].parent
        == peers.peers_dir(paths.cache_dir(), llama_cpp_version()) / "build" / "bin"
    )
