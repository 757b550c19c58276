"""Finished answers render as Markdown with highlighted code; raw HTML is never interpreted."""

from __future__ import annotations

from desktop_chat.ui.chat.markdown import (
    DATA_IMAGE_CHARS,
    RICH_TEXT_CHARS,
    RICH_TEXT_LINES,
    is_inline_image,
    plain_to_html,
    split_for_rich_text,
    to_html,
)


def test_code_blocks_are_highlighted_and_keep_indentation() -> None:
    html = to_html("Look:\n\n```python\ndef f(x):\n    return x\n```\n")
    assert "white-space: pre;" in html and "    " in html
    assert "color:" in html  # Pygments inline styles
    assert "```" not in html


def test_a_stray_fence_at_the_end_adds_no_empty_code_box() -> None:
    # SmolLM2 often ends an unfenced snippet with a lone ```: CommonMark opens an empty block.
    html = to_html("def f(x):\n    return x\n```")
    assert "copy:" not in html and "white-space: pre;" not in html
    assert "return x" in html


def test_raw_html_is_escaped() -> None:
    html = to_html("<script>alert(1)</script> and <b>bold</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_gfm_tables_and_emphasis() -> None:
    html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n**strong**")
    assert "<table>" in html and "<strong>strong</strong>" in html


def test_plain_text_keeps_spaces_and_escapes() -> None:
    assert plain_to_html("  x < y") == '<div style="white-space: pre-wrap">  x &lt; y</div>'


def test_an_image_becomes_a_link_to_its_source_never_an_img() -> None:
    for source in ("/etc/passwd", "/dev/zero", "http://127.0.0.1:9/x.png", "relative.png"):
        html = to_html(f"see ![the file]({source})")
        assert "<img" not in html
        assert f'<a href="{source}">[Image: the file]</a>' in html


def test_only_a_small_base64_data_image_stays_inline() -> None:
    small = "data:image/png;base64," + "A" * 100
    assert f'<img src="{small}" alt="dot" />' in to_html(f"![dot]({small})")
    assert is_inline_image(small)
    big = "data:image/png;base64," + "A" * (DATA_IMAGE_CHARS + 1)
    assert not is_inline_image(big)
    assert "<img" not in to_html(f"![big]({big})")
    assert not is_inline_image("data:image/svg+xml;base64,AAAA")  # SVG can reference files
    assert not is_inline_image("data:text/html;base64,AAAA")


def test_split_keeps_whole_lines_and_loses_nothing() -> None:
    table = "| a |\n|---|\n" + "".join(f"| row {i} |\n" for i in range(3000))
    head, tail = split_for_rich_text(table)
    assert head + tail == table
    assert head.count("\n") == RICH_TEXT_LINES and head.endswith("\n")
    assert tail.startswith(f"| row {RICH_TEXT_LINES - 2} |")

    line = "x" * 1_000_000
    head, tail = split_for_rich_text(line)
    assert len(head) == RICH_TEXT_CHARS and head + tail == line

    prose = "word " * 10_000 + "\n" + "tail"
    head, tail = split_for_rich_text(prose)
    assert head + tail == prose and len(head) <= RICH_TEXT_CHARS

    assert split_for_rich_text("short") == ("short", "")


def test_a_long_code_block_is_highlighted_only_at_its_start_and_kept_whole() -> None:
    code = "".join(f"value_{i} = {i}\n" for i in range(2000))
    html = to_html(f"```python\n{code}```\n")
    assert "value_1999 = 1999" in html  # the unhighlighted rest is escaped text
    assert "color:" in html


def test_deep_nesting_keeps_every_word() -> None:
    # markdown-it silently drops what lies past 20 levels; such text is shown plain instead.
    for text in ("> " * 10_000 + "deep", "- " * 10_000 + "deep", " " * 40 + "- deep"):
        assert "deep" in to_html(text)
    assert "<blockquote>" in to_html("> > > shallow")  # ordinary nesting still renders
    for text in ("[" * 10_000, "*" * 10_000 + "x" + "*" * 10_000, "`" * 10_000):
        assert to_html(text)


def test_citation_markers_become_cite_links_outside_code_and_links() -> None:
    html = to_html("Refunds take 5 days [1][2]. See [the docs [3]](https://x.org) and `[4]`.")
    assert '<a href="cite:1">[1]</a><a href="cite:2">[2]</a>' in html
    assert "cite:3" not in html and "docs [3]</a>" in html
    assert "cite:4" not in html and "<code>[4]</code>" in html
    assert "cite:" not in to_html("```\n[5]\n```")
    assert "cite:" not in to_html("an array [1, 2] and a[10000]")


def test_headings_in_a_message_stay_near_the_texts_size(qtbot) -> None:
    from PySide6.QtGui import QTextCursor, QTextDocument

    document = QTextDocument()
    document.setHtml(to_html("Title\n=====\n\nSection\n-------\n\nText."))
    sizes = {}
    block = document.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        sizes[block.text().strip()] = cursor.charFormat().font().pointSizeF()
        block = block.next()
    text = sizes["Text."]
    assert text < sizes["Section"] < sizes["Title"] <= text * 1.6
