"""The Settings pane: one page per section, each control built from the declared FIELDS."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.ui.banner import Banner

log = logging.getLogger(__name__)

SECTION_TITLES = {
    "inference": "Inference",
    "generation": "Generation",
    "appearance": "Appearance",
    "app": "App",
}
MULTILINE = {"generation.system_prompt", "generation.custom_template"}
HIDDEN = {"app.current_model", "app.last_profile"}


def tr(text: str) -> str:
    return QCoreApplication.translate("SettingsPane", text)


class SettingsPane(QWidget):
    """Edits a copy of the settings; Apply validates, saves, and asks the app to reload."""

    applied = Signal(object, list)  # new Settings, keys needing a model reload

    def __init__(
        self,
        current: settings_mod.Settings,
        gpu_supported: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPane")
        self._settings = current
        self._gpu_supported = gpu_supported
        self.editors: dict[str, QWidget] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = QLabel(self.tr("Settings"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        for section in SECTION_TITLES:
            self.tabs.addTab(self._page(section), tr(SECTION_TITLES[section]))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setProperty("primary", True)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(lambda: self.set_settings(self._settings))
        self.set_settings(current)

    def _page(self, section: str) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, field in settings_mod.FIELDS.items():
            if field.section != section or key in HIDDEN:
                continue
            editor = self._editor(field)
            self.editors[key] = editor
            label = QLabel(tr(field.label) + (f" ({field.unit})" if field.unit else ""))
            label.setToolTip(tr(field.help))
            editor.setToolTip(tr(field.help))
            if key == "inference.n_gpu_layers" and not self._gpu_supported:
                editor.setEnabled(False)
                holder = QWidget()
                box = QVBoxLayout(holder)
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(editor)
                note = QLabel(
                    self.tr(
                        "This build of llama.cpp has no GPU support, so everything runs on the "
                        "CPU. To use an NVIDIA, Apple or Vulkan GPU, reinstall llama-cpp-python "
                        "with GPU support (see “GPU support” in the README)."
                    )
                )
                note.setObjectName("hint")
                note.setWordWrap(True)
                self.gpu_note = note
                box.addWidget(note)
                form.addRow(label, holder)
            else:
                form.addRow(label, editor)
        scroll.setWidget(page)
        return scroll

    def _editor(self, field: settings_mod.Field) -> QWidget:
        if field.choices:
            combo = QComboBox()
            for choice in field.choices:
                combo.addItem(tr(choice), choice)
            return combo
        if field.type is bool:
            return QCheckBox()
        if field.type is int:
            spin = QSpinBox()
            spin.setRange(
                int(field.min if field.min is not None else -(2**31)),
                int(min(field.max if field.max is not None else 2**31 - 1, 2**31 - 1)),
            )
            if field.special:
                value, text = field.special[0]
                if value == spin.minimum():
                    spin.setSpecialValueText(tr(text))
            return spin
        if field.type is float:
            dspin = QDoubleSpinBox()
            dspin.setDecimals(2)
            dspin.setSingleStep(0.05)
            dspin.setRange(field.min or 0.0, field.max if field.max is not None else 1e9)
            return dspin
        if field.key in MULTILINE:
            edit = QPlainTextEdit()
            edit.setMaximumHeight(120)
            return edit
        return QLineEdit()

    # -- values ----------------------------------------------------------------------------
    def set_settings(self, current: settings_mod.Settings) -> None:
        self._settings = current
        for key, editor in self.editors.items():
            self._set(editor, settings_mod.FIELDS[key], settings_mod.get_value(current, key))

    @staticmethod
    def _set(editor: QWidget, field: settings_mod.Field, value: Any) -> None:
        if isinstance(editor, QComboBox):
            index = editor.findData(value)
            editor.setCurrentIndex(max(0, index))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.setValue(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(", ".join(value) if isinstance(value, (tuple, list)) else str(value))

    @staticmethod
    def _get(editor: QWidget) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            return editor.value()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QLineEdit):
            return editor.text()
        return None

    def edited(self) -> settings_mod.Settings:
        """The settings as the controls show them; raises SettingsError for a bad value."""
        result = self._settings
        for key, editor in self.editors.items():
            value = self._get(editor)
            field = settings_mod.FIELDS[key]
            if field.type is tuple and isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            result = settings_mod.with_value(result, key, value)
        return result

    @Slot()
    def apply(self) -> None:
        try:
            new = self.edited()
        except settings_mod.SettingsError as error:
            self.banner.show_error(str(error))
            return
        reload_keys = settings_mod.reload_needed(self._settings, new)
        self._settings = new
        self.banner.show_info(
            self.tr("Saved. The model is being reloaded with the new settings.")
            if reload_keys
            else self.tr("Saved.")
        )
        self.applied.emit(new, reload_keys)

    def show_warnings(self, warnings: list[str]) -> None:
        if warnings:
            self.banner.show_error(" ".join(warnings))

    @property
    def settings(self) -> settings_mod.Settings:
        return self._settings
