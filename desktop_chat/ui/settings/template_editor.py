"""Chat format picker with a Jinja template editor and a live, sandboxed preview."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_chat.engine.chat_formats import TemplateError, preview
from desktop_chat.settings.schema import CHAT_FORMATS
from desktop_chat.tasks import TaskContext, TaskRunner
from desktop_chat.ui.shell.widgets import plain_label

PREVIEW_DELAY_MS = 250
# A start for someone who picks "Custom" with nothing written yet: plain ChatML.
EXAMPLE_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


class ChatTemplateEditor(QWidget):
    """``format_combo`` holds the chat_format value, ``code`` the custom_template text.

    A template is foreign code that may take seconds before the sandbox stops it, so the
    preview (and the check behind ``error()``) renders on a task, never on the GUI thread.
    """

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
        title = plain_label(self.tr("Custom chat template (Jinja)"))
        title.setObjectName("subTitle")
        box.addWidget(title)
        self.code = QPlainTextEdit()
        self.code.setObjectName("templateCode")
        self.code.setFont(mono)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFixedHeight(170)
        self.code.setPlaceholderText(self.tr("A Jinja chat template, as found in GGUF files"))
        box.addWidget(self.code)
        self.error_label = plain_label()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        box.addWidget(self.error_label)
        caption = plain_label(self.tr("Preview on a sample conversation:"))
        caption.setObjectName("hint")
        box.addWidget(caption)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(mono)
        self.preview.setFixedHeight(150)
        box.addWidget(self.preview)

        self._model_template: str | None = None
        self.runner = TaskRunner(self)
        self._task_id: int | None = None  # the check in flight, for the text ``_task_source``
        self._task_source: str | None = None
        # The last finished check: the source, why it cannot be used (None: it can), the text.
        self._checked: tuple[str, str | None, str] | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.code.textChanged.connect(self._on_code_changed)
        self._on_format_changed()

    def _format_label(self, name: str) -> str:
        if name == "auto":
            # Short, like the other choices: the field's help line says where Auto looks.
            return self.tr("Auto")
        if name == "custom":
            return self.tr("Custom Jinja template")
        return name

    def set_model_template(self, template: str | None) -> None:
        """The loaded model's own template, offered as the start of a custom one."""
        self._model_template = template

    def is_custom(self) -> bool:
        return self.format_combo.currentData() == "custom"

    def error(self) -> str | None:
        """Why the custom template cannot be used, as a sentence; None when it can.

        Answers from the last finished check of this very text; when there is none yet, one
        is started and the answer asks the user to wait for it."""
        if not self.is_custom():
            return None
        source = self.code.toPlainText()
        if not source.strip():
            return self.tr("Write a chat template, or choose another chat format.")
        if self._checked is not None and self._checked[0] == source:
            return self._checked[1]
        self.refresh_preview()
        return self.tr("The chat template is still being checked. Try again in a moment.")

    def checking(self) -> bool:
        """True while a preview renders in the background."""
        return self._task_id is not None

    @Slot()
    def refresh_preview(self) -> None:
        self._timer.stop()
        if not self.is_custom():
            return
        source = self.code.toPlainText()
        if self._task_id is not None:
            if self._task_source == source:
                return
            self.runner.cancel(self._task_id)
            self._task_id = self._task_source = None
        if not source.strip():
            self._show(None, "")
            return
        if self._checked is not None and self._checked[0] == source:
            self._show(self._checked[1], self._checked[2])
            return

        def render(context: TaskContext) -> str:
            return preview(source, cancel=context.cancel)

        task = self.runner.run(
            "template-preview",
            render,
            on_done=self._on_preview_done,
            on_failed=self._on_preview_failed,
            expected=(TemplateError,),
        )
        self._task_id = task.id if task is not None else None
        self._task_source = source

    def _on_preview_done(self, task_id: int, text: object) -> None:
        self._finish(task_id, None, str(text))

    def _on_preview_failed(self, task_id: int, error: object) -> None:
        self._finish(task_id, str(error), "")

    def _finish(self, task_id: int, problem: str | None, text: str) -> None:
        if task_id != self._task_id or self._task_source is None:
            return  # a check of text that has changed since; its successor will answer
        self._checked = (self._task_source, problem, text)
        self._task_id = None
        self._task_source = None
        self._show(problem, text)

    def _show(self, problem: str | None, text: str) -> None:
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
        else:
            self.error_label.hide()
        self.preview.setPlainText(text)

    @Slot()
    def shutdown(self) -> None:
        """Cancel a preview still rendering and wait for it (app exit, pane closed)."""
        self._task_id = None
        self.runner.shutdown(timeout_s=5.0)

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
