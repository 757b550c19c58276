"""The records scaffold of Settings → Engines and Tools: which record it shows, and its list
beside the form in a wide page but above it (editors under their labels) in a narrow one."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QWidget

from desktop_chat.ui.settings.pages import scrolled
from desktop_chat.ui.settings.record_list import RecordList

LONG_NAME = "The lab server in room 42, the one under the stairs, with the big GPU"


def _records(qtbot, label: str = "Name") -> tuple[RecordList, QLineEdit, list[str]]:
    records = RecordList("testList", "Add")
    editor = QLineEdit()
    records.add_row(label, editor)
    records.add_row("Address", QLineEdit())
    records.add_actions("Save", "Test")
    shown: list[str] = []
    records.chosen.connect(shown.append)
    return records, editor, shown


def _in_window(qtbot, records: RecordList, width: int):
    scroll = scrolled(records)  # which now owns it
    qtbot.addWidget(scroll)
    scroll.resize(width, 700)
    scroll.show()
    qtbot.waitExposed(scroll)
    for _ in range(3):
        QApplication.processEvents()
    return scroll


def _top_left(widget: QWidget, records: RecordList) -> QPoint:
    return widget.mapTo(records, QPoint(0, 0))


def test_fill_shows_the_chosen_record_else_the_first_else_a_blank_form(qtbot) -> None:
    records, _editor, shown = _records(qtbot)
    qtbot.addWidget(records)
    records.fill(["a", "b"], select="b")
    records.fill(["a", "b"], select="gone")
    records.fill([])
    assert shown == ["b", "a", ""]
    assert not records.remove_button.isEnabled()
    records.fill(["a", "b"])
    assert records.remove_button.isEnabled()
    records.list.setCurrentRow(1)
    records.new_record()  # a blank form, and no row is current...
    assert records.list.currentRow() == -1
    records.list.setCurrentRow(1)  # ...so picking the same row again shows it again
    assert shown[-3:] == ["b", "", "b"]


def test_a_narrow_page_puts_the_list_above_the_form_and_fits(qtbot) -> None:
    records, editor, _shown = _records(qtbot)
    records.fill([LONG_NAME, "lab"])
    scroll = _in_window(qtbot, records, 380)
    assert not records.wide
    assert records.width() <= scroll.viewport().width()
    list_box = records.list.geometry()
    assert list_box.bottom() < _top_left(editor, records).y()
    assert records.add_button.x() > list_box.right()  # the list's buttons at its right
    # A long name ends in "…" in the list, whole in its tooltip, with no sideways scrolling.
    assert records.list.item(0).toolTip() == LONG_NAME
    assert records.list.horizontalScrollBar().maximum() == 0


def test_a_wide_page_puts_the_list_beside_the_form(qtbot) -> None:
    records, editor, _shown = _records(qtbot)
    records.fill(["lab"])
    scroll = _in_window(qtbot, records, 1000)
    assert records.width() <= scroll.viewport().width()
    assert records.wide
    assert records.list.geometry().right() < _top_left(editor, records).x()
    assert records.form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapLongRows


def test_long_labels_in_a_narrow_page_stand_above_their_editors(qtbot) -> None:
    label = "or URL of the server (Streamable HTTP)"
    records, editor, _shown = _records(qtbot, label=label)
    scroll = _in_window(qtbot, records, 380)
    assert records.form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows
    assert records.width() <= scroll.viewport().width()
    name_label = records.form.labelForField(editor)
    assert name_label.geometry().bottom() < editor.geometry().top()
    assert editor.width() > records.width() // 2  # the editor gets the row


def test_the_status_line_takes_no_room_until_it_has_something_to_say(qtbot) -> None:
    records, _editor, _shown = _records(qtbot)
    scroll = _in_window(qtbot, records, 1000)
    assert not records.status.isVisible()
    records.status.setText("Saved.")
    assert records.status.isVisible() and records.status.text() == "Saved."
    records.status.setText("")
    assert not records.status.isVisible()
    scroll.close()
