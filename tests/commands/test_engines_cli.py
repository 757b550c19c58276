"""`desktop-chat engines …` and `desktop-chat chat --endpoint`: against llama-cpp-python's own
server and the fault fake, both real child processes."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import cli
from desktop_chat.engine import endpoints
from desktop_chat.store import open_store
from tests.commands.streaming import Watched, spawn_chat
from tests.fakes import remote_servers


@pytest.fixture(scope="module")
def llama_url(smollm_path: Path) -> Iterator[str]:
    with remote_servers.running(remote_servers.start_llama_server(smollm_path)) as url:
        yield url


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


def _answers(home: Path) -> list[tuple[str, object]]:
    store, _notice = open_store(home / "data" / "conversations.sqlite3")
    try:
        found = []
        for conversation in store.list_conversations():
            *_question, answer = store.active_thread(conversation.id)
            found.append((conversation.model, answer))
        return found
    finally:
        store.close()


def test_add_list_test_remove(capsys, fake_url: str) -> None:
    assert cli.main(["engines", "list"]) == 0
    assert "No remote engines yet" in capsys.readouterr().out
    assert cli.main(["engines", "add", "lab", fake_url, "--preset", "vllm"]) == 0
    assert cli.main(["engines", "list"]) == 0
    assert f"lab\t{fake_url}\tvllm" in capsys.readouterr().out
    assert cli.main(["engines", "test", "lab"]) == 0
    out = capsys.readouterr().out
    assert "lab answers at" in out and "ok\tcontext 3072 (from the server)" in out
    assert cli.main(["engines", "remove", "lab"]) == 0
    assert endpoints.load() == []
    assert cli.main(["engines", "remove", "lab"]) == 1
    assert "no endpoint named" in capsys.readouterr().err


def test_a_key_without_a_keyring_is_not_stored_and_says_so(capsys, fake_url: str) -> None:
    assert cli.main(["engines", "add", "k", fake_url, "--api-key", "secret"]) == 0
    out = capsys.readouterr().out
    if endpoints.keyring_available():  # a desktop with a keyring: it went there
        assert "keyring" in out
        endpoints.forget_key("k")
    else:
        assert "No system keyring works here" in out
    assert "secret" not in endpoints.endpoints_file().read_text()


def test_test_of_a_dead_endpoint_is_a_sentence(capsys) -> None:
    url = f"http://127.0.0.1:{remote_servers.free_port()}/v1"
    assert cli.main(["engines", "add", "dead", url]) == 0
    assert cli.main(["engines", "test", "dead"]) == 1
    err = capsys.readouterr().err
    assert "Nothing answers at" in err and "Traceback" not in err


def test_a_bad_url_is_refused(capsys) -> None:
    assert cli.main(["engines", "add", "x", "ftp://host/v1"]) == 2
    assert "not an http:// or https:// address" in capsys.readouterr().err


def test_chat_through_an_endpoint_url_saves_the_conversation(
    capsys, app_home: Path, llama_url: str
) -> None:
    code = cli.main(
        [
            *("chat", "--endpoint", llama_url, "--model", remote_servers.ALIAS),
            *("--max-tokens", "16", "--seed", "1", "--stats", "Say hello."),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    [(model, answer)] = _answers(app_home)
    host = llama_url.split("://")[1].split("/")[0]
    assert model == f"remote:{host}/{remote_servers.ALIAS}"
    assert answer.complete and answer.content.strip()  # type: ignore[attr-defined]
    assert captured.out == answer.content + "\n"  # type: ignore[attr-defined]
    assert "tokens_per_s=" in captured.err


def test_chat_through_a_saved_endpoint_with_its_key(capsys, app_home: Path, fake_url: str) -> None:
    assert cli.main(["engines", "add", "fake", fake_url]) == 0
    capsys.readouterr()
    assert cli.main(["chat", "--endpoint", "fake", "--model", "auth", "Hi"]) == 1
    assert "refused the API key" in capsys.readouterr().err
    code = cli.main(["chat", "--endpoint", "fake", "--api-key", "secret", "--model", "auth", "Hi"])
    assert code == 0
    assert capsys.readouterr().out == "Hello there\n"
    # The refused turn kept its question only; the second has its answer.
    answers = sorted((str(m), a.role) for m, a in _answers(app_home))  # type: ignore[attr-defined]
    assert answers == [("remote:fake/auth", "assistant"), ("remote:fake/auth", "user")]


def test_chat_cut_midway_keeps_the_partial_answer(capsys, app_home: Path, fake_url: str) -> None:
    assert cli.main(["chat", "--endpoint", fake_url, "--model", "cut", "Hi"]) == 1
    assert "cut" in capsys.readouterr().err
    [(_model, answer)] = _answers(app_home)
    assert answer.content == "Partial answer" and not answer.complete  # type: ignore[attr-defined]


def test_chat_without_a_model_name_says_how(capsys, fake_url: str) -> None:
    assert cli.main(["chat", "--endpoint", fake_url, "Hi"]) == 2
    assert "pass --model NAME" in capsys.readouterr().err


def test_ctrl_c_closes_the_remote_stream_and_keeps_the_answer(
    app_home: Path, fake_url: str
) -> None:
    watched = Watched(spawn_chat(app_home, "--endpoint", fake_url, "--model", "slow"))
    watched.wait_for(min_bytes=40)
    watched.process.send_signal(signal.SIGINT)
    code = watched.finish()
    stderr = watched.stderr_text()
    assert code == 130, stderr
    assert "stopped" in stderr and "Traceback" not in stderr
    [(_model, answer)] = _answers(app_home)
    assert answer.stop_reason == "stopped"  # type: ignore[attr-defined]
    assert watched.shown.decode() == answer.content + "\n"  # type: ignore[attr-defined]
