"""A row of a profile's suggested questions under an empty chat; a click asks one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget


class SuggestionBar(QWidget):
    asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestions")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(24, 0, 24, 0)
        self.buttons: list[QPushButton] = []
        self.hide()

    def set_questions(self, questions: Sequence[str]) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        for question in questions:
            button = QPushButton(question)
            button.setObjectName("suggestionButton")
            button.clicked.connect(lambda _=False, q=question: self.asked.emit(q))
            self._row.addWidget(button)
            self.buttons.append(button)
        self._row.addStretch(1)
        self.setVisible(bool(questions))
