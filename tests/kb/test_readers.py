"""Document readers: each format keeps heading path and page; each bad input is a sentence."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from desktop_chat.kb.readers import Cancelled, DocumentError, read_document, read_file
from tests.kb.pdfgen import text_pdf


def test_markdown_keeps_the_heading_path(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text("# Guide\n\n## Returns\n\n### Refunds\n\nWithin 5 days.\n", "utf-8")
    (section,) = read_document(path)
    assert section.heading_path == ("Guide", "Returns", "Refunds")
    assert section.text == "Within 5 days."
    assert section.page is None


def test_html_headings_and_no_scripts(tmp_path: Path) -> None:
    path = tmp_path / "faq.html"
    path.write_text(
        "<html><head><script>alert(1)</script></head><body><h1>FAQ</h1><h2>Hours</h2>"
        "<p>Open 9&ndash;17.</p></body></html>",
        "utf-8",
    )
    (section,) = read_document(path)
    assert section.heading_path == ("FAQ", "Hours")
    assert section.text == "Open 9–17."


def test_csv_question_answer_rows(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text("question,answer\nDo you ship abroad?,Yes to the EU.\n", "utf-8")
    (section,) = read_document(path)
    assert section.heading_path == ("Do you ship abroad?",)
    assert "Yes to the EU." in section.text


def test_pdf_pages_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "manual.pdf"
    path.write_bytes(text_pdf([["Refunds take 5 business days."], ["Batteries: 12 months."]]))
    document = read_file(path)
    assert [s.page for s in document.sections] == [1, 2]
    assert "Batteries" in document.sections[1].text
    assert document.sections[0].heading_path == ("manual",)


def test_pdf_progress_per_page_and_cancel(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(text_pdf([[f"Page {i} talks about topic {i}."] for i in range(300)]))
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 120:
            cancel.set()

    with pytest.raises(Cancelled):
        read_document(path, cancel, progress)
    assert seen[-1] == (120, 300)
    assert len(read_document(path)) == 300


def test_docx_headings_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Staff handbook", level=1)
    document.add_paragraph("Welcome.")
    document.add_heading("Leave", level=2)
    document.add_paragraph("Everyone gets 25 days of leave.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Sick days"
    table.rows[0].cells[1].text = "10"
    path = tmp_path / "handbook.docx"
    document.save(str(path))
    sections = read_document(path)
    assert sections[-1].heading_path == ("Staff handbook", "Leave")
    assert "25 days" in sections[-1].text and "Sick days | 10" in sections[-1].text


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(text_pdf([["secret text"]]))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\0" * (100 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "sentence"),
    [
        ("locked.pdf", _encrypted_pdf, "protected with a password"),
        ("broken.pdf", lambda: text_pdf([["x"]])[:60], "damaged or not a PDF"),
        ("scan.pdf", _scanned_pdf, "no text layer"),
        ("bomb.docx", _zip_bomb, "zip bomb"),
        ("notreally.docx", lambda: b"PK but not a zip at all", "not a Word document"),
        ("photo.md", lambda: bytes(range(256)) * 40, "not a text file"),
        ("empty.txt", lambda: b"  \n\n ", "is empty"),
    ],
)
def test_bad_input_is_a_sentence(tmp_path: Path, name: str, content, sentence: str) -> None:
    path = tmp_path / name
    path.write_bytes(content())
    with pytest.raises(DocumentError, match=sentence) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(name) and message.endswith(".")


def test_a_1_gb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as f:
        f.truncate(1024**3)  # sparse: takes no disk, and reading it would take 1 GB of memory
    with pytest.raises(DocumentError, match="1,024 MB, more than the 32 MB"):
        read_document(path)
