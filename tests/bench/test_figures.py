"""The benchmark figures of issue 16 under their exact names, measured for real (one round)."""

from __future__ import annotations

from pathlib import Path

from desktop_chat.bench import engine_bench, launch_bench, session_bench, speculative_bench


def test_engine_figures_at_temperature_0_and_default_sampling(qtbot, smollm_path: Path) -> None:
    names = [f.name for f in engine_bench.run(smollm_path, rounds=1)]
    assert names[:2] == [
        "engine tokens/s vs raw llama-cpp-python (temperature 0)",
        "engine tokens/s vs raw llama-cpp-python (default sampling)",
    ]


def test_prompt_lookup_figure_compares_the_same_text(qtbot, smollm_path: Path) -> None:
    (figure,) = speculative_bench.run(smollm_path, rounds=1)
    assert figure.name == "prompt-lookup speed-up on a copy-heavy answer"
    assert figure.value > 0 and "grounded answer" in figure.detail


def test_session_figures(qtbot, smollm_path: Path) -> None:
    figures = {f.name: f for f in session_bench.run(smollm_path, rounds=1)}
    assert set(figures) == {
        "first token at turn 10 vs llama.cpp's floor",
        "KV-state cache bytes",
    }
    assert figures["first token at turn 10 vs llama.cpp's floor"].value > 0
    # Three other chats were left, so states were saved, within the budget.
    assert 0 < figures["KV-state cache bytes"].value <= 256


def test_launch_figures(tmp_path: Path) -> None:
    figures = {f.name: f for f in launch_bench.run(tmp_path)}
    assert set(figures) == {
        "window shown after launch",
        "first token of the first chat after launch",
        "RSS at idle ÷ model file size",
    }
    assert all(f.value > 0 for f in figures.values())
    # The launched app holds at least its model (mapped) and Qt, and says how big both are.
    assert figures["RSS at idle ÷ model file size"].value > 1
    assert "MB model file" in figures["RSS at idle ÷ model file size"].detail
