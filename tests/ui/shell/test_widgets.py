"""Labels and questions never read user, model or file text as markup (issue 17, defect 1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desktop_chat.ui.shell.widgets import ask_yes_no, plain_label

HOSTILE = "<img src=/dev/zero> <b>bold?</b>"
# The offscreen platform says this whenever a top-level window is shown.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_plain_label_shows_markup_as_text(qtbot) -> None:
    label = plain_label(HOSTILE)
    qtbot.addWidget(label)
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert label.text() == HOSTILE


def test_every_label_of_every_pane_declares_its_format(qtbot, desktop_app) -> None:
    """QLabel's default, AutoText, renders anything that looks like HTML: no label may keep it.

    The few labels that show markup set RichText and escape what they insert."""
    window = desktop_app.window
    window.show()
    desktop_app.chat.sidebar.open_search()
    labels = [*window.findChildren(QLabel)]
    dialog = desktop_app.chat.sidebar.search_dialog
    assert dialog is not None
    labels += dialog.findChildren(QLabel)
    auto = [
        f"{label.objectName() or type(label.parent()).__name__}: {label.text()[:40]!r}"
        for label in labels
        if label.textFormat() is Qt.TextFormat.AutoText
    ]
    assert len(labels) > 30
    assert auto == []
    dialog.close()


def test_yes_no_question_shows_its_text_plain(qtbot) -> None:
    seen: list[Qt.TextFormat] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.textFormat())
        assert box.text() == HOSTILE
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer)
    assert ask_yes_no(None, "Delete", HOSTILE) is True
    assert seen == [Qt.TextFormat.PlainText]


def test_plain_tooltip_escapes_cuts_and_keeps_lines(qtbot) -> None:
    from PySide6.QtGui import QTextDocument

    from desktop_chat.ui.shell.widgets import plain_tooltip

    shown = plain_tooltip(HOSTILE + "\nsecond line")
    document = QTextDocument()
    document.setHtml(shown)  # how Qt renders a tooltip it takes for rich text
    assert document.toPlainText() == HOSTILE + "\nsecond line"
    assert plain_tooltip("x" * 50, limit=10) == "<p>" + "x" * 10 + "…</p>"
    assert plain_tooltip("") == ""


def test_file_names_in_model_tooltips_are_escaped(qtbot, desktop_app, tmp_path, smollm_path):
    import shutil

    from desktop_chat import paths

    hostile = paths.models_dir() / "<img src=dev-zero>.gguf"
    shutil.copy(smollm_path, hostile)
    local = desktop_app.models.local
    local.refresh()
    qtbot.waitUntil(
        lambda: any(
            "dev-zero" in local.tree.topLevelItem(i).toolTip(0)
            for i in range(local.tree.topLevelItemCount())
        )
    )
    tips = [local.tree.topLevelItem(i).toolTip(0) for i in range(local.tree.topLevelItemCount())]
    assert any("&lt;img src=dev-zero&gt;" in tip for tip in tips), tips
