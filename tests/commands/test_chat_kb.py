"""`desktop-chat chat --kb NAME`: the answer grounded on a knowledge base as a profile's is in
the window, the passages it relies on printed after it and kept with the saved answer; an
unknown name is one sentence and exit 2; the same through --endpoint; a question the knowledge
base cannot answer is sent with the instruction to say so, and no sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import cli
from desktop_chat.kb.grounding import NO_INFORMATION
from desktop_chat.store import open_store
from tests.commands.streaming import run_chat
from tests.fakes import remote_servers


def _sources(stdout: str) -> list[str]:
    assert "\nSources:\n" in stdout, stdout
    return [line for line in stdout.split("\nSources:\n", 1)[1].splitlines() if line]


def _saved(home: Path) -> list[tuple[object, list[object]]]:
    database = home / "data" / "conversations.sqlite3"
    if not database.exists():
        return []
    store, _notice = open_store(database)
    try:
        return [(c, store.active_thread(c.id)) for c in store.list_conversations()]
    finally:
        store.close()


def test_the_local_model_answers_from_the_sample_shop_and_cites_it(
    app_home: Path, smollm_path: Path
) -> None:
    result = run_chat(
        app_home, "--model", str(smollm_path), "--max-tokens", "32", "--seed", "1",
        "--kb", "shop-demo", "How long does a refund take?",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sources = _sources(result.stdout)
    assert any(line.startswith("[1] en/returns.md — ") for line in sources), sources
    assert any("5 business days" in line for line in sources), sources
    [(_conversation, thread)] = _saved(app_home)
    assert thread[-1].citations  # type: ignore[attr-defined]
    assert thread[-1].citations[0]["source"] == "en/returns.md"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [("nope", "There is no knowledge base “nope”"), ("../x", "not a usable knowledge base name")],
)
def test_an_unknown_knowledge_base_is_one_sentence_and_exit_2(
    capsys, app_home: Path, tmp_path: Path, name: str, sentence: str
) -> None:
    code = cli.main(["chat", "--model", str(tmp_path / "unused.gguf"), "--kb", name, "hi"])
    err = capsys.readouterr().err
    assert code == 2
    assert sentence in err and "shop-demo" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert _saved(app_home) == []


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


def test_a_remote_chat_gets_the_passages_in_the_question_s_language(
    capsys, app_home: Path, fake_url: str
) -> None:
    code = cli.main(
        [
            *("chat", "--endpoint", fake_url, "--model", "echo", "--no-save"),
            "--kb",
            "shop-demo",
            "退款多久到账",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    system = out.split("[user]", 1)[0]  # the fake echoes what it was sent
    assert "5 个工作日" in system and "Simplified Chinese" in system
    assert _sources(out)[0].startswith("[1] zh/returns.md — ")


def test_a_question_the_shop_cannot_answer_gets_no_passages(
    capsys, app_home: Path, fake_url: str
) -> None:
    code = cli.main(
        [
            *("chat", "--endpoint", fake_url, "--model", "echo", "--no-save", "--kb", "shop-demo"),
            "what will the weather be like in paris on sunday",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert NO_INFORMATION in out.split("[user]", 1)[0]
    assert "\nSources:\n" not in out
