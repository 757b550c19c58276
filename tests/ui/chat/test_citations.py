"""CitationsView: one link per cited passage, the passage opens below, document HTML escaped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_chat.kb import library
from desktop_chat.kb.index import KnowledgeBase, Passage
from desktop_chat.ui.chat.citations import CITATION_KEYS, CitationsView, passages_to_dicts

# The offscreen platform says this whenever a top-level widget is shown; it is not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

REFUND = {
    "id": "returns.md#3",
    "source": "returns.md",
    "title": "Returns",
    "section": "Returns > Refund times",
    "text": "We issue your refund within 5 business days.",
    "score": 8.6,
}
HOSTILE = {
    "id": "evil.html#0",
    "source": "<b>evil</b>.html",
    "title": "Evil",
    "section": "Tips & <i>tricks</i>",
    "text": '<img src="x" onerror="alert(1)"><a href="http://x">click</a> & more',
    "score": 1.0,
}


def make(qtbot, citations) -> CitationsView:
    view = CitationsView(citations)
    qtbot.addWidget(view)
    view.show()
    return view


def test_one_button_per_passage_in_citation_order(qtbot):
    second = {**REFUND, "id": "shipping.md#0", "section": "Shipping > Free shipping"}
    view = make(qtbot, [REFUND, second])
    assert view.heading.text() == "Sources:"
    assert [b.text() for b in view.buttons] == [
        "[1] Returns › Refund times",
        "[2] Shipping › Free shipping",
    ]
    assert all(b.objectName() == "linkButton" for b in view.buttons)
    assert view.detail.isHidden()


def test_clicking_a_link_shows_the_passage_and_clicking_again_hides_it(qtbot):
    view = make(qtbot, [REFUND, {**REFUND, "id": "b", "text": "Second passage."}])
    with qtbot.waitSignal(view.passage_opened) as blocker:
        qtbot.mouseClick(view.buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args == [0]
    assert view.detail.isVisible()
    shown = view.detail_label.text()
    assert "We issue your refund within 5 business days." in shown
    assert "returns.md" in shown
    assert "Returns › Refund times" in shown
    assert view.buttons[0].isChecked()
    qtbot.mouseClick(view.buttons[1], Qt.MouseButton.LeftButton)
    assert view.shown_text == "Second passage."
    assert [b.isChecked() for b in view.buttons] == [False, True]
    qtbot.mouseClick(view.buttons[1], Qt.MouseButton.LeftButton)
    assert view.detail.isHidden()
    assert view.current == -1


def test_document_html_is_escaped(qtbot):
    view = make(qtbot, [HOSTILE])
    # "&" doubled so that it is shown, not taken as a keyboard mnemonic.
    assert view.buttons[0].text() == "[1] Tips && <i>tricks</i>"
    assert "<b>evil</b>" not in view.buttons[0].toolTip()
    view.show_passage(0)
    shown = view.detail_label.text()
    assert "<img" not in shown and "<a href" not in shown and "<i>" not in shown
    assert "&lt;img src=&quot;x&quot;" in shown
    assert "&lt;b&gt;evil&lt;/b&gt;.html" in shown
    assert "&amp; more" in shown


def test_no_citations_shows_nothing(qtbot):
    view = CitationsView([])
    qtbot.addWidget(view)
    assert view.buttons == []
    assert view.isHidden()


def test_passages_to_dicts_gives_the_stored_form(qtbot, tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite3") as kb:
        kb.add_paths(library.sample_kb_paths("en"))
        passages = kb.search("how long do refunds take", k=2)
    dicts = passages_to_dicts(passages)
    assert [tuple(d) for d in dicts] == [CITATION_KEYS] * 2
    assert [Passage(**d) for d in dicts] == passages
    view = make(qtbot, dicts)
    assert view.buttons[0].text().startswith("[1] Returns and refunds › ")
