"""The profile dialog's form: one profile's fields, filled from it and read back as changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.chat.profiles import Profile
from desktop_chat.kb import library
from desktop_chat.ui.shell.widgets import plain_label

# The spin boxes' lowest value stands for "no value in this profile: use the app's setting".
TEMPERATURE_DEFAULT = -0.05
MAX_TOKENS_DEFAULT = 0


class ProfileForm(QWidget):
    """``edited`` fires when the user changes a field, not while a profile is being shown."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.logo = ""
        right = QVBoxLayout(self)
        right.setContentsMargins(0, 0, 0, 0)
        self.readonly_note = plain_label(
            self.tr("Built-in profiles are read-only. Duplicate one to make your own copy.")
        )
        self.readonly_note.setObjectName("hint")
        self.readonly_note.setWordWrap(True)
        right.addWidget(self.readonly_note)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setObjectName("systemPromptEdit")
        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setRange(TEMPERATURE_DEFAULT, 2.0)
        self.temperature_spin.setSingleStep(0.05)
        self.temperature_spin.setDecimals(2)
        self.temperature_spin.setSpecialValueText(self.tr("App default"))
        self.max_tokens_spin = QSpinBox()
        self.max_tokens_spin.setRange(MAX_TOKENS_DEFAULT, 32_768)
        self.max_tokens_spin.setSingleStep(64)
        self.max_tokens_spin.setSpecialValueText(self.tr("App default"))
        self.kb_combo = QComboBox()
        self.kb_combo.setObjectName("profileKbCombo")
        self.greeting_edit = QLineEdit()
        self.shop_name_edit = QLineEdit()
        self.shop_name_edit.setPlaceholderText(self.tr("Shown to customers in kiosk view"))
        logo_row = QHBoxLayout()
        self.logo_label = plain_label("")
        self.logo_label.setObjectName("hint")
        self.logo_choose_button = QPushButton(self.tr("Choose…"))
        self.logo_remove_button = QPushButton(self.tr("Remove"))
        self.logo_remove_button.clicked.connect(lambda: self.set_logo(""))
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(self.logo_choose_button)
        logo_row.addWidget(self.logo_remove_button)
        self.suggestions_edit = QPlainTextEdit()
        self.suggestions_edit.setObjectName("suggestionsEdit")
        self.suggestions_edit.setPlaceholderText(self.tr("One question per line"))
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("System prompt"), self.prompt_edit)
        form.addRow(self.tr("Temperature"), self.temperature_spin)
        form.addRow(self.tr("Max tokens"), self.max_tokens_spin)
        form.addRow(self.tr("Knowledge base"), self.kb_combo)
        form.addRow(self.tr("Greeting"), self.greeting_edit)
        form.addRow(self.tr("Suggested questions"), self.suggestions_edit)
        form.addRow(self.tr("Shop name"), self.shop_name_edit)
        form.addRow(self.tr("Logo"), logo_row)
        right.addLayout(form, 1)

        for edit in (self.name_edit, self.greeting_edit, self.shop_name_edit):
            edit.textEdited.connect(self._mark_edited)
        for text_edit in (self.prompt_edit, self.suggestions_edit):
            text_edit.textChanged.connect(self._mark_edited)
        self.temperature_spin.valueChanged.connect(self._mark_edited)
        self.max_tokens_spin.valueChanged.connect(self._mark_edited)
        self.kb_combo.currentIndexChanged.connect(self._mark_edited)

    def show_profile(self, shown: Profile, editable: bool) -> None:
        """Fill the fields from ``shown`` (already localized); none of it counts as an edit."""
        self._loading = True
        try:
            self.name_edit.setText(shown.name)
            self.prompt_edit.setPlainText(shown.system_prompt)
            temperature = shown.generation.get("temperature")
            self.temperature_spin.setValue(
                TEMPERATURE_DEFAULT if temperature is None else float(temperature)
            )
            max_tokens = shown.generation.get("max_tokens")
            self.max_tokens_spin.setValue(
                MAX_TOKENS_DEFAULT if max_tokens is None else int(max_tokens)
            )
            self._fill_kb_combo(shown.knowledge_base)
            self.greeting_edit.setText(shown.greeting)
            self.greeting_edit.setCursorPosition(0)  # show the start of a long greeting
            self.suggestions_edit.setPlainText("\n".join(shown.suggestions))
            self.shop_name_edit.setText(shown.shop_name)
            self.set_logo(shown.logo)
        finally:
            self._loading = False
        for edit in (self.name_edit, self.greeting_edit, self.shop_name_edit):
            edit.setReadOnly(not editable)
        self.logo_choose_button.setEnabled(editable)
        self.logo_remove_button.setEnabled(editable and bool(self.logo))
        for text_edit in (self.prompt_edit, self.suggestions_edit):
            text_edit.setReadOnly(not editable)
        self.temperature_spin.setReadOnly(not editable)
        self.max_tokens_spin.setReadOnly(not editable)
        self.kb_combo.setEnabled(editable)
        self.readonly_note.setVisible(not editable)

    def _fill_kb_combo(self, current: str | None) -> None:
        self.kb_combo.clear()
        self.kb_combo.addItem(self.tr("None"), None)
        names = library.list_kbs()
        for name in names:
            self.kb_combo.addItem(name, name)
        if current is not None and current not in names:
            # Kept selectable so saving does not silently drop the profile's choice.
            self.kb_combo.addItem(self.tr("{name} (not created yet)").format(name=current), current)
        index = self.kb_combo.findData(current) if current is not None else 0
        self.kb_combo.setCurrentIndex(max(index, 0))

    @Slot()
    def _mark_edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def changes(self, generation: dict[str, Any]) -> dict[str, Any]:
        """The fields as ``ProfileStore.update`` keyword arguments; ``generation`` is the
        profile's own, kept for the keys this form does not show."""
        generation = dict(generation)
        temperature = self.temperature_spin.value()
        if temperature < 0:
            generation.pop("temperature", None)
        else:
            generation["temperature"] = round(temperature, 2)
        if self.max_tokens_spin.value() == MAX_TOKENS_DEFAULT:
            generation.pop("max_tokens", None)
        else:
            generation["max_tokens"] = self.max_tokens_spin.value()
        suggestions = [s.strip() for s in self.suggestions_edit.toPlainText().splitlines()]
        return {
            "name": self.name_edit.text().strip(),
            "system_prompt": self.prompt_edit.toPlainText().strip(),
            "generation": generation,
            "knowledge_base": self.kb_combo.currentData(),
            "greeting": self.greeting_edit.text().strip(),
            "suggestions": [s for s in suggestions if s],
            "shop_name": self.shop_name_edit.text().strip(),
            "logo": self.logo,
        }

    def set_logo(self, path: str) -> None:
        if path != self.logo:
            self.logo = path
            self._mark_edited()
        self.logo_label.setText(Path(path).name if path else self.tr("No logo"))
        self.logo_remove_button.setEnabled(bool(path) and self.logo_choose_button.isEnabled())
