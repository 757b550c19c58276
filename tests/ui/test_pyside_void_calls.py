"""PySide6 6.12.0 on Python < 3.12 dies with none_dealloc after a few thousand void calls."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_twenty_thousand_void_qt_calls_do_not_crash(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))  # setText returns void: the call pattern that crashed
        label.setVisible(False)
    assert label.text() == "19999"
