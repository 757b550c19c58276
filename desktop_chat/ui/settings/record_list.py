"""A list of saved records beside the form for the chosen one (above it when the page is narrow),
with the buttons that add, remove and act on them: Settings → Engines' and Tools' scaffold."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.ui.shell.widgets import plain_label

LIST_MIN_WIDTH = 150
LIST_MAX_WIDTH = 220  # beside the form; above it the list takes the row
LIST_MAX_HEIGHT = {True: 280, False: 130}  # wide, narrow: a short list keeps the form in view
SPACING = 12
FIELD_MIN_WIDTH = 200  # narrower than this beside its label, an editor goes under the label


class StatusLine(QLabel):
    """The hint under the buttons ("Saved.", "Connected: …"), taking no room while empty."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("hint")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class RecordList(QWidget):
    """Pages fill `form` (add_row), then `add_actions`, and may add more to `column`."""

    chosen = Signal(str)  # the record whose form to show; "" for a blank form (a new record)

    def __init__(self, list_name: str, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName(list_name)
        self.list.setMinimumWidth(LIST_MIN_WIDTH)
        # A long name ends in "…" (whole in its tooltip) instead of a sideways scroll bar.
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton(self.tr("Remove"))
        self._list_buttons = QVBoxLayout()
        self._list_buttons.addWidget(self.add_button)
        self._list_buttons.addWidget(self.remove_button)
        self._list_buttons.addStretch(1)
        self._side = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._side.setSpacing(SPACING // 2)
        self._side.addWidget(self.list, 1)
        self._side.addLayout(self._list_buttons)

        self.form = QFormLayout()
        # A row whose label and editor do not fit side by side puts the editor under its label.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Addresses and commands get the width; numbers and choices keep their natural one.
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.column = QVBoxLayout()
        self.column.addLayout(self.form)
        self.status = StatusLine()

        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.setSpacing(SPACING)
        self._body.addLayout(self._side)
        self._body.addLayout(self.column, 1)
        self.wide = True
        self._arrange(True)
        self.list.currentRowChanged.connect(self._on_row)

    # -- building --------------------------------------------------------------------------
    def add_list_button(self, text: str) -> QPushButton:
        """A button under Add, above Remove."""
        button = QPushButton(text)
        self._list_buttons.insertWidget(self._list_buttons.indexOf(self.remove_button), button)
        return button

    def add_row(self, label: str, editor: QWidget) -> None:
        self.form.addRow(plain_label(label), editor)

    def add_actions(self, primary: str, other: str) -> tuple[QPushButton, QPushButton]:
        """The form's Save-like and Test-like buttons, then the line that reports on them."""
        first, second = QPushButton(primary), QPushButton(other)
        first.setProperty("primary", True)
        row = QHBoxLayout()
        row.addWidget(first)
        row.addWidget(second)
        row.addStretch(1)
        self.column.addLayout(row)
        self.column.addWidget(self.status)
        return first, second

    # -- the records -----------------------------------------------------------------------
    def fill(self, names: list[str], select: str | None = None) -> None:
        """List `names` and show `select` (else the first; a blank form when there are none)."""
        wanted = select if select in names else (names[0] if names else None)
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setToolTip(name)
            self.list.addItem(item)
        self.list.setCurrentRow(names.index(wanted) if wanted is not None else -1)
        self.list.blockSignals(False)
        self.remove_button.setEnabled(bool(names))
        self.chosen.emit(wanted or "")

    @Slot()
    def new_record(self) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.chosen.emit("")

    @Slot(int)
    def _on_row(self, row: int) -> None:
        if row >= 0:
            self.chosen.emit(self.list.item(row).text())

    # -- wide or narrow --------------------------------------------------------------------
    def _wide_width(self) -> int:
        """Side by side only where neither the list nor any editor has to shrink for it."""
        return LIST_MAX_WIDTH + SPACING + self.column.sizeHint().width()

    def _narrow_min_width(self) -> int:
        beside = LIST_MIN_WIDTH + SPACING // 2 + self._list_buttons.minimumSize().width()
        return max(beside, self.column.minimumSize().width())

    def _arrange(self, wide: bool) -> None:
        self.wide = wide
        self._body.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        # Narrow: the list takes the row, its buttons stand at its right.
        self._side.setDirection(
            QBoxLayout.Direction.TopToBottom if wide else QBoxLayout.Direction.LeftToRight
        )
        self.list.setMaximumWidth(LIST_MAX_WIDTH if wide else 16_777_215)
        self.list.setMaximumHeight(LIST_MAX_HEIGHT[wide])

    def minimumSizeHint(self) -> QSize:
        # What the narrow arrangement needs, so that a narrow page is never pushed wider by the
        # wide one: resizeEvent picks the arrangement for the width the page then gets.
        return QSize(self._narrow_min_width(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = event.size().width()
        wide = width >= self._wide_width()
        if wide != self.wide:
            self._arrange(wide)
        beside = wide or self._widest_label() + SPACING + FIELD_MIN_WIDTH <= width
        policy = (
            QFormLayout.RowWrapPolicy.WrapLongRows
            if beside
            else QFormLayout.RowWrapPolicy.WrapAllRows
        )
        if self.form.rowWrapPolicy() != policy:
            self.form.setRowWrapPolicy(policy)

    def _widest_label(self) -> int:
        labels = (
            self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            for row in range(self.form.rowCount())
        )
        return max((item.widget().sizeHint().width() for item in labels if item), default=0)
