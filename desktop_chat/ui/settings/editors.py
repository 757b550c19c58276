"""One editor widget per declared setting, and reading or writing a value through any of them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop_chat import settings as settings_mod

INT_MAX = 2**31 - 1
# Seeds go up to 2**32 - 1, past what a QSpinBox holds; a 0-decimal double spin holds them all.
SEED_MAX = 4294967295
FLOAT_STEPS = {"generation.top_p": 0.01, "generation.min_p": 0.01}
INT_STEPS = {"inference.n_ctx": 1024, "inference.n_batch": 64, "appearance.chat_width": 20}


def field_tr(text: str) -> str:
    """Labels, help and choices come from FIELDS in English; a translator finds them here."""
    return QCoreApplication.translate("settings", text) if text else ""


def choice_label(key: str, choice: str) -> str:
    labels = {
        "system": "Same as the system",
        "light": "Light",
        "dark": "Dark",
        "drop_oldest": "Drop the oldest turns",
        "ask": "Ask me first",
        "f16": "f16 (full quality)",
        "q8_0": "q8_0 (half the memory)",
        "q4_0": "q4_0 (a quarter of the memory)",
        "prompt_lookup": "Prompt lookup",
        "draft_model": "Draft model",
        "off": "Off",
    }
    return field_tr(labels.get(choice, choice))


class SeedEditor(QWidget):
    """A "Random" checkbox in front of a number: -1 (random) or a fixed seed."""

    valueChanged = Signal(object)  # named like the Qt editors; object: seeds exceed int32

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.random = QCheckBox(self.tr("Random"))
        self.number = QDoubleSpinBox()
        self.number.setDecimals(0)
        self.number.setRange(0, SEED_MAX)
        self.number.setValue(42)
        layout.addWidget(self.random)
        layout.addWidget(self.number, 1)
        self.random.toggled.connect(self._on_toggled)
        self.number.valueChanged.connect(lambda _v: self.valueChanged.emit(self.value()))

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.number.setEnabled(not on)
        self.valueChanged.emit(self.value())

    def value(self) -> int:
        return -1 if self.random.isChecked() else int(self.number.value())

    def set_value(self, value: int) -> None:
        self.random.setChecked(value < 0)
        if value >= 0:
            self.number.setValue(value)
        self.number.setEnabled(value >= 0)


class StopEditor(QPlainTextEdit):
    """Stop strings, one per line; a single line may separate them with commas instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(70)
        self.setPlaceholderText(self.tr("One per line, or separated by commas"))

    def value(self) -> tuple[str, ...]:
        text = self.toPlainText()
        parts = text.splitlines() if "\n" in text.strip() else text.split(",")
        return tuple(part.strip() for part in parts if part.strip())

    def set_value(self, value: tuple[str, ...]) -> None:
        self.setPlainText("\n".join(value))


def make_editor(field: settings_mod.Field) -> QWidget:
    if field.key == "generation.seed":
        return SeedEditor()
    if field.key == "generation.stop":
        return StopEditor()
    if field.choices:
        combo = QComboBox()
        for choice in field.choices:
            combo.addItem(choice_label(field.key, choice), choice)
        return combo
    if field.type is bool:
        return QCheckBox(field_tr(field.label))
    if field.type is int:
        spin = QSpinBox()
        low = int(field.min) if field.min is not None else -INT_MAX
        high = int(field.max) if field.max is not None else INT_MAX
        if field.key == "inference.n_threads":
            # Validation refuses more threads than logical cores; the editor offers no more.
            high = min(high, settings_mod.logical_cores())
        spin.setRange(low, min(high, INT_MAX))
        spin.setSingleStep(INT_STEPS.get(field.key, 1))
        for value, text in field.special:
            # QSpinBox can name only its minimum; other special values show as numbers.
            if value == spin.minimum():
                spin.setSpecialValueText(field_tr(text))
        if field.unit and not field.special:
            spin.setSuffix(" " + field_tr(field.unit))
        return spin
    if field.type is float:
        dspin = QDoubleSpinBox()
        dspin.setDecimals(2)
        dspin.setSingleStep(FLOAT_STEPS.get(field.key, 0.05))
        dspin.setRange(field.min or 0.0, field.max if field.max is not None else 1e9)
        return dspin
    if field.key == "generation.system_prompt":
        edit = QPlainTextEdit()
        edit.setFixedHeight(110)
        return edit
    return QLineEdit()


def value_of(editor: QWidget) -> Any:
    if isinstance(editor, SeedEditor | StopEditor):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QDoubleSpinBox):
        return round(editor.value(), editor.decimals())
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    raise TypeError(f"no value for {type(editor).__name__}")


def show_value(editor: QWidget, value: Any) -> None:
    if isinstance(editor, SeedEditor | StopEditor):
        editor.set_value(value)
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(0, editor.findData(value)))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox | QDoubleSpinBox):
        editor.setValue(value)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))


def changed_signal(editor: QWidget) -> Any:
    """The signal an editor emits when the user changes it (for live hints)."""
    if isinstance(editor, QComboBox):
        return editor.currentIndexChanged
    if isinstance(editor, QCheckBox):
        return editor.toggled
    if isinstance(editor, QPlainTextEdit):
        return editor.textChanged
    if isinstance(editor, QLineEdit):
        return editor.textChanged
    return editor.valueChanged  # type: ignore[attr-defined]
