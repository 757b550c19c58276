"""Attachments without a window: whole or indexed, the turn's context and citations, bad
files as sentences, removal, and what an earlier run left half-read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import paths
from desktop_chat.chat.attachment_context import (
    FOLDER,
    add_to_turn,
    conversation_folder,
    sweep_orphans,
    whole_limit,
)
from desktop_chat.chat.attachments import ChatAttachments
from desktop_chat.chat.turns import Turn, shown_citations
from desktop_chat.engine.types import ChatMessage, ChatRequest, GenParams
from desktop_chat.store import Store, open_memory_store, open_store

CONTEXT = 2048
TERMS = (
    "# Rental terms\n\n## Deposit\n\nThe deposit for a cargo bike is 150 euros, paid at pick-up."
    "\n\n## Late return\n\nA bike returned late costs 12 euros for every started hour.\n"
)

ROUTES = "\n\n".join(
    f"## Route {n}\n\nRoute {n} follows the canal for {n} kilometres past the old mill."
    for n in range(1, 200)
)


class Host:
    """The part of the chat controller that attaching uses."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conversation_id: int | None = None

    def new_conversation_for(self, title: str) -> int | None:
        self.conversation_id = self.store.create_conversation(title).id
        return self.conversation_id


@pytest.fixture
def store(app_home) -> Iterator[Store]:
    opened, _notice = open_store()
    yield opened
    opened.close()


@pytest.fixture
def service(qtbot, store) -> Iterator[ChatAttachments]:
    attachments = ChatAttachments(lambda: store, lambda: CONTEXT)
    yield attachments
    attachments.shutdown()


def attach(qtbot, service: ChatAttachments, host: Host, path: Path):
    attachment = service.attach(host, path)
    assert attachment is not None
    qtbot.waitUntil(lambda: not service.busy(), timeout=120_000)
    return service.get_store().get_attachment(attachment.id)


def turn(question: str) -> Turn:
    request = ChatRequest(
        history=(ChatMessage("user", question),), system="You are helpful.", gen=GenParams()
    )
    return Turn(request)


def test_a_small_document_goes_whole_into_every_turn(qtbot, service, store, tmp_path):
    file = tmp_path / "terms.md"
    file.write_text(TERMS)
    host = Host(store)
    attached = attach(qtbot, service, host, file)
    assert host.conversation_id is not None  # the new chat was stored for it
    assert store.get_conversation(host.conversation_id).title == "terms.md"
    assert attached.mode == "whole" and attached.error == ""
    assert "150 euros" in attached.text and attached.tokens <= whole_limit(CONTEXT)
    result = add_to_turn(turn("How much is the deposit?"), store, host.conversation_id, "x")
    assert "You are helpful." in result.request.system
    assert "[1] terms.md\n" in result.request.system
    assert "The deposit for a cargo bike is 150 euros" in result.request.system
    assert [c["source"] for c in result.citations] == ["terms.md"]
    assert result.citations[0]["attachment"] == attached.id
    # Beside a knowledge base's passages it scores as the best of them: it is always shown.
    grounded = Turn(turn("x").request, [{"id": "kb#1", "source": "f.md", "score": 7.5}])
    both = add_to_turn(grounded, store, host.conversation_id, "x", retrieve=False)
    assert both.citations[1]["source"] == "terms.md" and both.citations[1]["score"] == 7.5
    many = Turn(
        turn("x").request,
        [{"id": f"kb#{n}", "source": "f.md", "score": 7.5 - n / 10} for n in range(4)],
    )
    more = add_to_turn(many, store, host.conversation_id, "x", retrieve=False)
    shown = shown_citations("The deposit is 150 euros.", more.citations)
    assert [c["id"] for c in shown] == ["kb#0", "kb#1", f"attachment:{attached.id}#0"]


def test_a_large_document_is_indexed_and_its_passage_retrieved(qtbot, service, store, tmp_path):
    file = tmp_path / "guide.md"
    file.write_text(f"# Guide\n\n{ROUTES}\n\n## Helmets\n\nHelmets are free with every rental.\n")
    host = Host(store)
    attached = attach(qtbot, service, host, file)
    assert attached.mode == "indexed" and attached.tokens > whole_limit(CONTEXT)
    assert host.conversation_id is not None
    folder = conversation_folder(store, host.conversation_id)
    assert (folder / "kb.sqlite3").is_file()
    assert folder.parent == paths.kb_dir() / FOLDER  # hidden from the Knowledge list
    assert service.indexed_name(host.conversation_id) == "guide.md"
    earlier = Turn(turn("x").request, [{"id": "kb#1", "source": "faq.md", "text": "..."}])
    result = add_to_turn(earlier, store, host.conversation_id, "are helmets free")
    assert "Helmets are free with every rental." in result.request.system
    assert "[2] guide.md" in result.request.system  # numbered after the turn's own passage
    assert result.citations[0]["id"] == "kb#1"
    assert any("Helmets are free" in c["text"] for c in result.citations[1:])
    # A document removed while it was indexed left its file behind: the index is rebuilt.
    (folder / "doc-999.md").write_text("# Stray\n\n## Helmets\n\nHelmets cost 5 euros.\n")
    rebuilt = add_to_turn(earlier, store, host.conversation_id, "are helmets free")
    assert "Helmets are free" in rebuilt.request.system
    assert not (folder / "doc-999.md").exists()
    assert (
        "kilometres"
        not in add_to_turn(earlier, store, host.conversation_id, "x", retrieve=False).request.system
    )
    # Removed: gone from the store and from the conversation's index.
    service.remove(attached.id)
    assert store.attachments(host.conversation_id) == []
    assert not folder.exists()
    assert add_to_turn(earlier, store, host.conversation_id, "are helmets free") == earlier


def test_a_lost_index_is_rebuilt_from_the_stored_text(qtbot, service, store, tmp_path):
    file = tmp_path / "big.md"
    file.write_text(
        f"# Bikes\n\n{ROUTES}\n\n## Workshop hours\n\nThe workshop closes at 17:00 on Saturdays.\n"
    )
    host = Host(store)
    attached = attach(qtbot, service, host, file)
    assert attached.mode == "indexed"
    assert host.conversation_id is not None
    import shutil

    shutil.rmtree(conversation_folder(store, host.conversation_id))
    file.unlink()  # the original is gone too
    result = add_to_turn(turn("x"), store, host.conversation_id, "when does the workshop close")
    assert "17:00" in result.request.system


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("binary.md", b"\x00\x01\x02PNG" * 100, "binary.md"),
        ("empty.txt", b"", "empty.txt"),
    ],
)
def test_a_bad_file_becomes_a_sentence_on_the_attachment(
    qtbot, service, store, tmp_path, name, content, expected
):
    file = tmp_path / name
    file.write_bytes(content)
    host = Host(store)
    attached = attach(qtbot, service, host, file)
    assert attached.mode == "failed"
    assert expected in attached.error and attached.error.endswith(".")
    assert not service.has_documents(host.conversation_id)


def test_a_missing_file_and_a_half_read_one_are_failures_with_a_way_forward(
    qtbot, service, store, tmp_path
):
    host = Host(store)
    missing = service.attach(host, tmp_path / "nowhere.pdf")
    assert missing is not None and missing.mode == "failed"
    assert "nowhere.pdf cannot be read" in missing.error
    assert host.conversation_id is not None
    left = store.add_attachment(host.conversation_id, "left.pdf")  # an earlier run closed
    [_, shown] = service.list(host.conversation_id)
    assert shown.id == left.id and shown.mode == "failed" and "Attach the file again" in shown.error


def test_indexes_of_purged_conversations_are_swept(qtbot, service, store, tmp_path):
    file = tmp_path / "big.md"
    file.write_text(f"# Bikes\n\n{ROUTES}\n")
    host = Host(store)
    attach(qtbot, service, host, file)
    assert host.conversation_id is not None
    folder = conversation_folder(store, host.conversation_id)
    assert sweep_orphans(store) == 0 and folder.exists()
    store.purge_conversation(host.conversation_id)
    memory = ChatAttachments(open_memory_store, lambda: CONTEXT)  # a stand-in store: no sweep
    memory.shutdown()
    assert folder.exists()
    ChatAttachments(lambda: store, lambda: CONTEXT).shutdown()  # as at the next start
    assert not folder.exists()


def test_removing_a_document_while_it_is_read_cancels_the_reading(qtbot, service, store, tmp_path):
    file = tmp_path / "long.md"
    file.write_text(f"# Long\n\n{ROUTES}\n\n{ROUTES.replace('Route', 'Trail')}\n")
    host = Host(store)
    attached = service.attach(host, file)
    assert attached is not None and attached.mode == "reading"
    progress: list[object] = []
    service.progress.connect(lambda _id, value: progress.append(value))
    service.remove(attached.id)
    qtbot.waitUntil(lambda: not service.busy(), timeout=120_000)
    assert host.conversation_id is not None
    assert store.attachments(host.conversation_id) == []  # nothing came back to life
    assert progress == []  # a cancelled task reports nothing more


def test_a_word_document_is_read_with_its_headings(qtbot, service, store, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Rental terms", level=1)
    document.add_heading("Deposit", level=2)
    document.add_paragraph("The deposit for a cargo bike is 150 euros, paid at pick-up.")
    file = tmp_path / "terms.docx"
    document.save(str(file))
    host = Host(store)
    attached = attach(qtbot, service, host, file)
    assert attached.mode == "whole", attached.error
    assert any("Deposit" in s["section"] for s in attached.sections)
    assert host.conversation_id is not None
    result = add_to_turn(turn("deposit?"), store, host.conversation_id, "deposit?")
    assert "150 euros, paid at pick-up" in result.request.system


def test_any_question_about_an_indexed_document_gets_its_passages(qtbot, service, store, tmp_path):
    """The off-topic gate is for a shop's knowledge base; an attached document is what the
    question is about, however little its words share with it."""
    file = tmp_path / "routes.md"
    file.write_text(f"# Canal routes\n\n{ROUTES}\n")
    host = Host(store)
    assert attach(qtbot, service, host, file).mode == "indexed"
    assert host.conversation_id is not None
    result = add_to_turn(turn("x"), store, host.conversation_id, "give me a summary please")
    assert result.citations and "kilometres" in result.request.system
