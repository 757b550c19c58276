"""`desktop-chat chat --attach FILE`: the window's rule headless — a small document whole in the
prompt, a large one indexed and searched, kept on the saved conversation and exported, sources
printed after the answer; bad files one sentence and exit 2; the same through --endpoint."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import cli
from desktop_chat.commands.chat_attach import ChatDocuments
from desktop_chat.store import open_store
from tests.commands.streaming import run_chat
from tests.fakes import remote_servers
from tests.kb.pdfgen import text_pdf
from tests.kb.test_readers import _scanned_pdf, _zip_bomb

DEPOSIT = "The deposit for a cargo bike is 150 euros, paid at pick-up."
LATE = "A bike returned late costs 12 euros for every started hour."
LIGHTS = (
    "Bikes must carry two lights after sunset, a white one at the front and a red one at the back."
)


def _terms_pdf(folder: Path) -> Path:
    path = folder / "terms.pdf"
    path.write_bytes(text_pdf([["Welcome to Lumen Lane bike rental."], [DEPOSIT, LATE]]))
    return path


def _routes_docx(folder: Path) -> Path:
    """A Word document far larger than 40 % of any context window here: it is indexed."""
    import docx

    document = docx.Document()
    document.add_heading("Routes", level=1)
    for n in range(1, 200):
        document.add_heading(f"Route {n}", level=2)
        document.add_paragraph(f"Route {n} follows the canal for {n} kilometres past the old mill.")
    document.add_heading("Night riding", level=2)
    document.add_paragraph(LIGHTS)
    path = folder / "routes.docx"
    document.save(str(path))
    return path


def _conversations(home: Path) -> list[tuple[object, list[object], list[object]]]:
    database = home / "data" / "conversations.sqlite3"
    if not database.exists():
        return []
    store, _notice = open_store(database)
    try:
        return [
            (c, store.active_thread(c.id), store.attachments(c.id))
            for c in store.list_conversations()
        ]
    finally:
        store.close()


def _sources(stdout: str) -> list[str]:
    assert "\nSources:\n" in stdout, stdout
    return [line for line in stdout.split("\nSources:\n", 1)[1].splitlines() if line]


# -- the local model ----------------------------------------------------------------------------
def test_a_small_pdf_goes_whole_and_is_kept_with_the_conversation(
    app_home: Path, smollm_path: Path, tmp_path: Path
) -> None:
    pdf = _terms_pdf(tmp_path)
    result = run_chat(
        app_home, "--model", str(smollm_path), "--max-tokens", "48", "--seed", "1",
        "--attach", str(pdf), "How much is the deposit for a cargo bike?",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    first = _sources(result.stdout)[0]
    # The window's citation, as a line: the file, the page the quoted sentence is on, the quote.
    assert re.fullmatch(r'\[1\] terms\.pdf, p\. [12] — ".+"', first), first
    quoted = first.split(' — "', 1)[1].rstrip('"')
    assert any(part.strip(" …") in (DEPOSIT, LATE, "Welcome to Lumen Lane bike rental.")
               for part in quoted.split(" … ")), quoted  # fmt: skip

    [(conversation, thread, attachments)] = _conversations(app_home)
    [attachment] = attachments
    assert attachment.name == "terms.pdf" and attachment.mode == "whole"  # type: ignore[attr-defined]
    assert attachment.sections[1]["page"] == 2  # type: ignore[attr-defined]
    answer = thread[-1]
    assert answer.citations and answer.citations[0]["source"] == "terms.pdf"  # type: ignore[attr-defined]
    assert "quotes" in answer.citations[0]  # type: ignore[attr-defined]  # stored like the window's

    exported = tmp_path / "chat.md"
    code = cli.main(["export", str(conversation.id), "-o", str(exported)])  # type: ignore[attr-defined]
    assert code == 0
    text = exported.read_text(encoding="utf-8")
    assert "Attached documents:" in text and "- terms.pdf" in text


def test_a_large_docx_is_indexed_and_searched_and_no_save_keeps_nothing(
    app_home: Path, smollm_path: Path, tmp_path: Path
) -> None:
    docx_file = _routes_docx(tmp_path)
    before = set(Path(tempfile.gettempdir()).glob("desktop-chat-attach-*"))
    result = run_chat(
        app_home, "--model", str(smollm_path), "--max-tokens", "32", "--seed", "1", "--no-save",
        "--attach", str(docx_file), "Which lights must a bike carry after sunset?",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sources = _sources(result.stdout)
    assert any(line.startswith("[1] routes.docx — ") for line in sources), sources
    assert _conversations(app_home) == []
    assert not (app_home / "data" / "kb" / ".attachments").exists() or not any(
        (app_home / "data" / "kb" / ".attachments").iterdir()
    )
    assert set(Path(tempfile.gettempdir()).glob("desktop-chat-attach-*")) == before


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        ("missing.pdf", None, "does not exist"),
        ("scan.pdf", _scanned_pdf, "no text layer"),
        ("bomb.docx", _zip_bomb, "zip bomb"),
        ("photo.md", lambda: bytes(range(256)) * 40, "not a text file"),
    ],
)
def test_a_file_that_cannot_be_used_is_one_sentence_and_exit_2(
    capsys, app_home: Path, tmp_path: Path, name: str, content, sentence: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content())
    code = cli.main(["chat", "--model", str(tmp_path / "unused.gguf"), "--attach", str(path), "hi"])
    err = capsys.readouterr().err
    assert code == 2
    assert sentence in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert _conversations(app_home) == []  # nothing was asked, so nothing is kept


# -- remote engines -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with remote_servers.running(remote_servers.start_fake()) as url:
        yield url


def test_a_remote_chat_gets_the_document_and_keeps_it(
    capsys, app_home: Path, fake_url: str, tmp_path: Path
) -> None:
    pdf = _terms_pdf(tmp_path)
    code = cli.main(
        ["chat", "--endpoint", fake_url, "--model", "echo", "--attach", str(pdf), "Deposit?"]
    )
    out = capsys.readouterr().out
    assert code == 0
    # The fake echoes what it was sent: the document went to the server in the system message.
    system = out.split("[user]", 1)[0]
    assert "[1] terms.pdf" in system and DEPOSIT in system
    assert _sources(out)[0].startswith("[1] terms.pdf, p. ")
    [(conversation, thread, [attachment])] = _conversations(app_home)
    assert conversation.model.startswith("remote:")  # type: ignore[attr-defined]
    assert attachment.mode == "whole" and thread[-1].citations  # type: ignore[attr-defined]


def test_a_remote_tool_chat_searches_an_indexed_document(
    capsys, app_home: Path, fake_url: str, tmp_path: Path
) -> None:
    docx_file = _routes_docx(tmp_path)
    code = cli.main(
        [
            *("chat", "--endpoint", fake_url, "--model", "echo", "--json", "--no-save"),
            *(
                "--tool-choice",
                "auto",
                "--attach",
                str(docx_file),
                "Which lights must a bike carry after sunset?",
            ),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    line = json.loads(out.strip().splitlines()[-1])
    assert LIGHTS in line["answer"]  # the passage found for the question was sent
    assert "Route 150 follows" not in line["answer"]  # and not the whole document
    assert line["sources"][0].startswith("[1] routes.docx — ")
    assert _conversations(app_home) == []


# -- the source lines ---------------------------------------------------------------------------
def test_source_lines_name_the_page_and_the_figures_no_source_holds(tmp_path: Path) -> None:
    documents = ChatDocuments([str(_terms_pdf(tmp_path))])
    try:
        documents.keep(None, None, 4096)
        from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams

        request = ChatRequest(
            history=(ChatMessage("user", "deposit?"),), system="", gen=GenParams()
        )
        turn = documents.ground(request, "deposit?")
        answer = "The deposit is 150 euros [1]; late return costs 99 euros an hour."
        lines = documents.source_lines(answer, turn.citations)
    finally:
        documents.close()
    assert lines[0].startswith('[1] terms.pdf, p. 2 — "The deposit for a cargo bike is 150 euros')
    assert '"99 euros" — not found in the sources' in lines
