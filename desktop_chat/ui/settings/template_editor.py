"""Chat format picker with a Jinja template editor and a live, sandboxed preview."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.engine.chat_formats import TemplateError, preview
from desktop_chat.settings.schema import CHAT_FORMATS

PREVIEW_DELAY_MS = 250
# A start for someone who picks "Custom" with nothing written yet: plain ChatML.
EXAMPLE_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


class ChatTemplateEditor(QWidget):
    """``format_combo`` holds the chat_format value, ``code`` the custom_template text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The page puts the combo in its form; this widget (code and preview) goes full
        # width below the form and shows only for a custom template.
        self.format_combo = QComboBox()
        self.format_combo.setMaximumWidth(380)
        for name in CHAT_FORMATS:
            self.format_combo.addItem(self._format_label(name), name)
        self.custom_box = self
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        title = QLabel(self.tr("Custom chat template (Jinja)"))
        title.setObjectName("subTitle")
        box.addWidget(title)
        self.code = QPlainTextEdit()
        self.code.setObjectName("templateCode")
        self.code.setFont(mono)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFixedHeight(170)
        self.code.setPlaceholderText(self.tr("A Jinja chat template, as found in GGUF files"))
        box.addWidget(self.code)
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        box.addWidget(self.error_label)
        caption = QLabel(self.tr("Preview on a sample conversation:"))
        caption.setObjectName("hint")
        box.addWidget(caption)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(mono)
        self.preview.setFixedHeight(150)
        box.addWidget(self.preview)

        self._model_template: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.code.textChanged.connect(self._on_code_changed)
        self._on_format_changed()

    def _format_label(self, name: str) -> str:
        if name == "auto":
            return self.tr("Automatic (from the model file)")
        if name == "custom":
            return self.tr("Custom Jinja template")
        return name

    def set_model_template(self, template: str | None) -> None:
        """The loaded model's own template, offered as the start of a custom one."""
        self._model_template = template

    def is_custom(self) -> bool:
        return self.format_combo.currentData() == "custom"

    def error(self) -> str | None:
        """Why the custom template cannot be used, as a sentence; None when it can."""
        if not self.is_custom():
            return None
        source = self.code.toPlainText()
        if not source.strip():
            return self.tr("Write a chat template, or choose another chat format.")
        try:
            preview(source)
        except TemplateError as error:
            return str(error)
        return None

    @Slot()
    def refresh_preview(self) -> None:
        self._timer.stop()
        if not self.is_custom():
            return
        source = self.code.toPlainText()
        try:
            text = preview(source) if source.strip() else ""
        except TemplateError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            self.preview.setPlainText("")
            return
        self.error_label.hide()
        self.preview.setPlainText(text)

    @Slot()
    def _on_format_changed(self) -> None:
        custom = self.is_custom()
        self.custom_box.setVisible(custom)
        if custom and not self.code.toPlainText().strip():
            self.code.setPlainText(self._model_template or EXAMPLE_TEMPLATE)
        if custom:
            self.refresh_preview()
        self.changed.emit()

    @Slot()
    def _on_code_changed(self) -> None:
        self._timer.start()
        self.changed.emit()
