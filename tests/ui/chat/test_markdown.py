"""Finished answers render as Markdown with highlighted code; raw HTML is never interpreted."""

from __future__ import annotations

from desktop_chat.ui.chat.markdown import plain_to_html, to_html


def test_code_blocks_are_highlighted_and_keep_indentation() -> None:
    html = to_html("Look:\n\n```python\ndef f(x):\n    return x\n```\n")
    assert "pre-wrap" in html and "    " in html
    assert "color:" in html  # Pygments inline styles
    assert "```" not in html


def test_raw_html_is_escaped() -> None:
    html = to_html("<script>alert(1)</script> and <b>bold</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_gfm_tables_and_emphasis() -> None:
    html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n**strong**")
    assert "<table>" in html and "<strong>strong</strong>" in html


def test_plain_text_keeps_spaces_and_escapes() -> None:
    assert plain_to_html("  x < y") == '<div style="white-space: pre-wrap">  x &lt; y</div>'
