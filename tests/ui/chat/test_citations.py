"""CitationsView: one link per cited passage, the passage opens below, document HTML escaped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_chat.kb import library
from desktop_chat.kb.index import KnowledgeBase, Passage
from desktop_chat.ui.chat.citations import (
    CITATION_KEYS,
    HIGHLIGHT,
    CitationsView,
    passages_to_dicts,
)

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


QUOTED = {
    **REFUND,
    "text": "Refunds are processed in 5–7 business days. Store credit is issued at once.",
    "number": 2,
    "quotes": [[0, 43]],
}


def test_stored_numbers_label_the_links_and_quotes_are_highlighted(qtbot):
    view = make(qtbot, [QUOTED])
    assert view.buttons[0].text() == "[2] Returns › Refund times"
    view.show_passage(0)
    assert view.highlighted == ["Refunds are processed in 5–7 business days."]
    shown = view.detail_label.text()
    background, _text = HIGHLIGHT["light"]
    assert f'background-color:{background}; color:{_text}">Refunds are processed' in shown
    assert "days.</span> Store credit" in shown


def test_quotes_are_highlighted_in_the_dark_theme_colours(qtbot):
    from desktop_chat.ui.shell import theme

    view = CitationsView([QUOTED])
    qtbot.addWidget(view)
    view.setStyleSheet(theme.style_sheet("dark"))
    view.show()
    view.show_passage(0)
    assert HIGHLIGHT["dark"][0] in view.detail_label.text()
    view.setStyleSheet(theme.style_sheet("light"))  # re-rendered while open
    assert HIGHLIGHT["light"][0] in view.detail_label.text()


def test_bad_stored_quote_spans_are_ignored(qtbot):
    junk = {**QUOTED, "quotes": [[50, 10], [0, 9999], "x", [True, 3], [0, 7], [5, 12]]}
    view = make(qtbot, [junk])
    view.show_passage(0)
    assert view.highlighted == ["Refunds are "]


def test_unsupported_figures_are_listed_under_the_sources(qtbot):
    view = CitationsView([QUOTED], unsupported=[{"text": "24 hours", "start": 13, "end": 21}])
    qtbot.addWidget(view)
    view.show()
    assert view.unsupported_label.isVisible()
    assert view.unsupported_label.text() == "24 hours — not found in the sources"
    assert view.unsupported_label.textFormat() == Qt.TextFormat.PlainText
    assert make(qtbot, [QUOTED]).unsupported_label.isHidden()


def test_a_cite_link_in_the_answer_opens_its_passage(qtbot):
    from desktop_chat.ui.chat.message_view import MessageView

    message = MessageView("assistant", "Refunds take 5–7 business days [2].")
    qtbot.addWidget(message)
    view = CitationsView([REFUND, QUOTED], message)
    message.layout().insertWidget(2, view)
    message.show()
    with qtbot.waitSignal(view.passage_opened) as blocker:
        message.citation_clicked.emit(2)
    assert blocker.args == [1]
    assert view.highlighted == ["Refunds are processed in 5–7 business days."]
    message.citation_clicked.emit(7)  # not a shown source: nothing changes
    assert view.current == 1


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_demo_refund_answer_shows_its_quote_highlighted(qtbot, ready_app):
    """Through the real window, model and sample knowledge base: the stored answer carries
    its quotes, and opening its source (as a [n] click does) shows them highlighted."""
    from desktop_chat import settings as settings_mod

    with qtbot.waitSignal(ready_app.demo_opened, timeout=180_000):
        ready_app.start_demo()
    ready_app.settings = settings_mod.with_value(ready_app.settings, "generation.max_tokens", 64)
    chat = ready_app.chat
    with qtbot.waitSignal(chat.turn_finished, timeout=180_000):
        chat.send_text("How long does a refund take?")
    stored = ready_app.store.active_thread(chat.conversation_id)[-1]
    assert stored.role == "assistant" and stored.citations
    assert all("quotes" in c and "number" in c for c in stored.citations)
    assert isinstance(stored.metadata.get("unsupported"), list)
    view = chat.transcript.views[-1]
    [panel] = view.findChildren(CitationsView)
    quoted = [i for i, c in enumerate(panel.citations) if c["quotes"]]
    assert quoted, f"no quote highlighted for {stored.content!r}"
    with qtbot.waitSignal(panel.passage_opened):
        view.citation_clicked.emit(panel.numbers[quoted[0]])
    assert panel.current == quoted[0]
    assert panel.highlighted and all(q in panel.shown_text for q in panel.highlighted)
    assert HIGHLIGHT["light"][0] in panel.detail_label.text() or HIGHLIGHT["dark"][0] in (
        panel.detail_label.text()
    )
    # Reloaded from the store (as after a restart), the panel shows the same quotes.
    chat.controller.reload()
    [again] = chat.transcript.views[-1].findChildren(CitationsView)
    assert [c["quotes"] for c in again.citations] == [c["quotes"] for c in panel.citations]
    print("ANSWER:", stored.content, "UNSUPPORTED:", stored.metadata["unsupported"])
