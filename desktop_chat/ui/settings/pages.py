"""The Settings pane's pages: forms of FIELDS editors plus the hints each page needs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.models.fit import estimate_for, kv_cache_bytes_for
from desktop_chat.models.gguf_info import GGUFInfo
from desktop_chat.ui.settings.editors import field_tr, make_editor, value_of
from desktop_chat.ui.settings.privacy import human_size
from desktop_chat.ui.settings.template_editor import ChatTemplateEditor
from desktop_chat.ui.shell.main_window import SHORTCUTS
from desktop_chat.ui.shell.widgets import plain_label

EDITOR_WIDTH = 380
# In a narrow window an editor may shrink to this (its text cut) rather than widen the page
# past its scroll area, where every help line would be cut at the right edge.
EDITOR_MIN_WIDTH = 180
AUTO_CONTEXT = 4096  # what n_ctx 0 means, per the field's help
# Bytes per cached element relative to f16: q8_0 and q4_0 blocks hold 32 values plus a scale.
KV_FACTOR = {"f16": 1.0, "q8_0": 34 / 64, "q4_0": 18 / 64}
LANGUAGE_NAMES = {
    "en": "English",
    "zh_CN": "简体中文",
}  # each in its own language, never translated


def scrolled(page: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(page)
    # Let the stacked page's themed background show through instead of the palette's grey.
    scroll.viewport().setAutoFillBackground(False)
    page.setAutoFillBackground(False)
    return scroll


def hint(text: str) -> QLabel:
    label = plain_label(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class FieldForm(QWidget):
    """A form whose rows are FIELDS editors, each with its help underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(8, 8, 16, 8)
        # A grid, not a QFormLayout: the form underestimates rows whose help text wraps and
        # draws the next row over them.
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setHorizontalSpacing(12)
        self.outer.addLayout(self.form)
        self.editors: dict[str, QWidget] = {}
        self.tags: dict[str, QLabel] = {}

    def add(
        self, key: str, editor: QWidget | None = None, extra: tuple[QWidget, ...] = ()
    ) -> QWidget:
        field = settings_mod.FIELDS[key]
        editor = editor or make_editor(field)
        self.editors[key] = editor
        editor.setToolTip(field_tr(field.help))
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 6)
        column.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(10)
        wide = isinstance(editor, QPlainTextEdit)
        if not wide:
            # A number or a choice stretched across a wide window is hard to read.
            editor.setMaximumWidth(EDITOR_WIDTH)
            if isinstance(editor, QAbstractSpinBox | QComboBox):
                natural = editor.minimumSizeHint().width()
                editor.setMinimumWidth(min(natural, EDITOR_MIN_WIDTH))
        line.addWidget(editor, 1 if wide else 0)
        if field.overridable:
            tag = plain_label(self.tr("set for this model"))
            tag.setObjectName("overrideTag")
            tag.hide()
            self.tags[key] = tag
            line.addWidget(tag)
        if not wide:
            line.addStretch(1)
        column.addLayout(line)
        help_text = self._help(field)
        if help_text:
            column.addWidget(hint(help_text))
        for widget in extra:
            column.addWidget(widget)
        row = self.form.rowCount()
        if not isinstance(editor, QCheckBox):  # a checkbox carries its own label
            label = plain_label(field_tr(field.label))
            label.setWordWrap(True)  # a long name takes two lines in a narrow window
            label.setBuddy(editor)
            top_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
            self.form.addWidget(label, row, 0, top_right)
        self.form.addWidget(holder, row, 1)
        return editor

    def _help(self, field: settings_mod.Field) -> str:
        if field.key == "generation.seed":
            # The field's help explains -1, which the Random checkbox stands for here.
            return self.tr(
                "Random gives a different answer each time; a fixed number makes answers "
                "repeatable."
            )
        return field_tr(field.help)

    def add_model_only(self) -> QCheckBox:
        box = QCheckBox(self.tr("Save for this model only"))
        box.setObjectName("modelOnly")
        box.setToolTip(
            self.tr("Changes on this page become settings of the loaded model, not global ones.")
        )
        self.outer.addWidget(box)
        return box

    def finish(self) -> None:
        self.outer.addStretch(1)


class InferencePage(FieldForm):
    def __init__(self, gpu_supported: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outer.insertWidget(0, hint(self.tr("Changes on this page reload the model.")))
        self.info: GGUFInfo | None = None
        self.context_hint = hint("")
        self.memory_label = hint("")
        self.memory_label.setObjectName("memoryLine")
        self.n_ctx: QSpinBox = self.add(
            "inference.n_ctx", extra=(self.context_hint, self.memory_label)
        )  # type: ignore[assignment]
        self.gpu_note = hint(
            self.tr(
                "This build of llama.cpp has no GPU support, so everything runs on the CPU. "
                "To use an NVIDIA, Apple or Vulkan GPU, reinstall llama-cpp-python with GPU "
                "support (see “GPU support” in the README)."
            )
        )
        self.gpu_note.setVisible(not gpu_supported)
        gpu = self.add("inference.n_gpu_layers", extra=(self.gpu_note,))
        gpu.setEnabled(gpu_supported)
        threads = self.add("inference.n_threads")
        if isinstance(threads, QSpinBox):
            threads.setSpecialValueText(
                self.tr("Physical cores ({count})").format(count=settings_mod.physical_cores())
            )
        for key in (
            "inference.n_batch",
            "inference.flash_attn",
            "inference.use_mmap",
            "inference.use_mlock",
            "inference.kv_cache_type",
        ):
            self.add(key)
        self.model_only = self.add_model_only()
        self.finish()
        self.n_ctx.valueChanged.connect(self.update_memory)
        kv_type = self.editors["inference.kv_cache_type"]
        assert isinstance(kv_type, QComboBox)
        kv_type.currentIndexChanged.connect(self.update_memory)
        self.set_model_info(None)

    def set_model_info(self, info: GGUFInfo | None) -> None:
        self.info = info
        field = settings_mod.FIELDS["inference.n_ctx"]
        cap = int(field.max or 0)
        trained = info.context_length if info else None
        if trained:
            cap = min(cap, trained)
            self.context_hint.setText(
                self.tr("This model was trained for up to {count} tokens.").format(
                    count=f"{trained:,}"
                )
            )
        else:
            self.context_hint.setText("")
        self.context_hint.setVisible(bool(trained))
        self.n_ctx.setMaximum(cap)
        self.update_memory()

    def effective_context(self) -> int:
        value = self.n_ctx.value()
        if value:
            return value
        trained = self.info.context_length if self.info else None
        return min(AUTO_CONTEXT, trained) if trained else AUTO_CONTEXT

    @Slot()
    def update_memory(self) -> None:
        if self.info is None:
            self.memory_label.setText(
                self.tr("Load a model to see how much memory this length needs.")
            )
            return
        n_ctx = self.effective_context()
        factor = KV_FACTOR.get(value_of(self.editors["inference.kv_cache_type"]), 1.0)
        kv = int(kv_cache_bytes_for(self.info, n_ctx) * factor)
        need = estimate_for(self.info, n_ctx)
        total = need.total - need.kv_cache + kv
        self.memory_label.setText(
            self.tr(
                "≈ {total} at this length ({tokens} tokens): {kv} for the context cache."
            ).format(total=human_size(total), tokens=f"{n_ctx:,}", kv=human_size(kv))
        )


class GenerationPage(FieldForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for key in (
            "generation.temperature",
            "generation.top_p",
            "generation.top_k",
            "generation.min_p",
            "generation.repeat_penalty",
            "generation.max_tokens",
            "generation.seed",
            "generation.stop",
            "generation.system_prompt",
        ):
            self.add(key)
        self.add("app.context_policy")
        self.template = ChatTemplateEditor()
        self.add("generation.chat_format", self.template.format_combo)
        # Full width below the form: a QFormLayout row squeezes contents that appear later.
        self.outer.addWidget(self.template)
        self.editors["generation.custom_template"] = self.template.code
        self.model_only = self.add_model_only()
        self.finish()


class AppearancePage(FieldForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for key in (
            "appearance.theme",
            "appearance.font_size",
            "appearance.chat_width",
            "appearance.kiosk_idle_minutes",
            "appearance.kiosk_pin",
        ):
            self.add(key)
        self.finish()


class LanguagePage(FieldForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        combo = QComboBox()
        combo.addItem(self.tr("Same as the system"), "system")
        for code, name in LANGUAGE_NAMES.items():
            combo.addItem(name, code)
        self.add("app.language", combo)
        self.finish()


class ModelPage(QWidget):
    """The loaded model's own settings, each with a Reset back to the global value."""

    reset_requested = Signal(str)
    reset_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 16, 8)
        self.title = plain_label()
        self.title.setObjectName("modelTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(
            hint(
                self.tr(
                    "Settings saved for this model win over the global ones whenever it is "
                    "loaded. Everything not listed here uses the global value. To add one, tick "
                    "“Save for this model only” on the Inference or Generation page."
                )
            )
        )
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("overridesTable")
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Source"), ""])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty_label = hint(self.tr("This model has no settings of its own."))
        layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.reset_all_button = QPushButton(self.tr("Reset all to global"))
        row.addWidget(self.reset_all_button)
        layout.addLayout(row)
        self.reset_all_button.clicked.connect(self.reset_all_requested)
        self.reset_buttons: dict[str, QPushButton] = {}
        self.show_overrides(None, {})

    def show_overrides(
        self,
        model_name: str | None,
        overrides: dict[str, Any],
        global_values: settings_mod.Settings | None = None,
    ) -> None:
        if model_name is None:
            self.title.setText(
                self.tr("No model is loaded. Load one to give it settings of its own.")
            )
        else:
            self.title.setText(self.tr("Settings of {model}").format(model=model_name))
        self.table.setRowCount(len(overrides))
        self.reset_buttons = {}
        for row, (key, value) in enumerate(sorted(overrides.items())):
            field = settings_mod.FIELDS.get(key)
            shown = settings_mod.format_value(field, value) if field else str(value)
            item = QTableWidgetItem(f"{key} = {shown}")
            if field:
                item.setToolTip(field_tr(field.label))
            self.table.setItem(row, 0, item)
            source = self.tr("this model")
            if field and global_values is not None:
                base = settings_mod.format_value(field, settings_mod.get_value(global_values, key))
                source = self.tr("this model (global: {value})").format(value=base)
            self.table.setItem(row, 1, QTableWidgetItem(source))
            button = QPushButton(self.tr("Reset"))
            button.setToolTip(self.tr("Use the global value again"))
            button.clicked.connect(lambda _checked=False, k=key: self.reset_requested.emit(k))
            self.table.setCellWidget(row, 2, button)
            self.reset_buttons[key] = button
        self.table.setVisible(bool(overrides))
        self.empty_label.setVisible(model_name is not None and not overrides)
        self.reset_all_button.setEnabled(bool(overrides))

    def rows(self) -> list[str]:
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]


class ShortcutsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 16, 8)
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (keys, description) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(self.tr(description)))
        layout.addWidget(self.table, 1)

    def rows(self) -> list[tuple[str, str]]:
        return [
            (self.table.item(row, 0).text(), self.table.item(row, 1).text())
            for row in range(self.table.rowCount())
        ]
