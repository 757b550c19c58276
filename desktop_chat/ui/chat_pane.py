"""The Chat pane: transcript, composer, Send/Stop, a banner for problems and a status line."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import (
    ChatMessage,
    ChatRequest,
    GenerationStats,
    ModelInfo,
    PromptInfo,
    StopReason,
)
from desktop_chat.ui.banner import Banner
from desktop_chat.ui.composer import Composer
from desktop_chat.ui.transcript import Transcript

log = logging.getLogger(__name__)


class ChatPane(QWidget):
    """Sends turns to the engine and shows the answers as they stream in."""

    turn_finished = Signal(int, object)  # request id, GenerationStats
    turn_failed = Signal(int, str)
    open_models_requested = Signal()

    def __init__(
        self,
        client: EngineClient,
        get_settings: Callable[[], settings_mod.Settings],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chatPane")
        self.client = client
        self.get_settings = get_settings
        self.history: list[ChatMessage] = []
        self.request_id = 0
        self._answer = ""
        self._window_start = 0
        self._model_ready = False
        self.last_stats: GenerationStats | None = None

        self.banner = Banner(self)
        self.transcript = Transcript(self)
        self.composer = Composer(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.send_button.setMinimumWidth(88)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLine")
        self.context_label = QLabel()
        self.context_label.setObjectName("statusLine")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.transcript, 1)
        bottom = QWidget()
        bottom.setObjectName("composerArea")
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 8, 24, 8)
        row = QHBoxLayout()
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        bottom_layout.addLayout(row)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.context_label)
        bottom_layout.addLayout(status_row)
        layout.addWidget(bottom)

        self.composer.submitted.connect(self.on_send_clicked)
        self.composer.stop_requested.connect(self.stop)
        self.send_button.clicked.connect(self.on_send_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)
        self.banner.action_clicked.connect(self._on_banner_action)

        client.started.connect(self._on_started)
        client.chunk.connect(self._on_chunk)
        client.finished.connect(self._on_finished)
        client.cancelled.connect(self._on_cancelled)
        client.failed.connect(self._on_failed)
        self._update_controls()

    # -- model state -----------------------------------------------------------------------
    def show_loading(self, name: str) -> None:
        self._model_ready = False
        self.status_label.setText(self.tr("Loading model… {name}").format(name=name))
        self.banner.show_info(self.tr("Loading model… {name}").format(name=name))
        self._update_controls()

    def show_model_ready(self, info: ModelInfo) -> None:
        self._model_ready = True
        self.banner.hide()
        self.status_label.setText(self._model_text(info))
        self.context_label.setText(self.tr("context {n}").format(n=info.n_ctx))
        if not self.history:
            self.transcript.set_placeholder(
                self.tr(
                    "<h2>What can I help with?</h2><p>{name} runs on this computer. "
                    "Nothing you type leaves it.</p>"
                ).format(name=info.name)
            )
        self._update_controls()

    def show_load_failed(self, message: str) -> None:
        self._model_ready = False
        self.status_label.setText(self.tr("No model loaded"))
        self.banner.show_error(message, self.tr("Open Models"), "models")
        self._update_controls()

    def show_no_model(self) -> None:
        self._model_ready = False
        self.status_label.setText(self.tr("No model loaded"))
        self.banner.show_info(
            self.tr("No model yet. Open Models to pick a GGUF file or download one."),
            self.tr("Open Models"),
            "models",
        )
        self._update_controls()

    def _model_text(self, info: ModelInfo, stats: GenerationStats | None = None) -> str:
        text = info.name
        if info.n_gpu_layers:
            text += self.tr(" · GPU {n} layers").format(n=info.n_gpu_layers)
        if stats is not None and stats.completion_tokens:
            text += self.tr(" · first token {ttft:.2f} s · {tps:.1f} tokens/s").format(
                ttft=stats.ttft_s, tps=stats.tokens_per_s
            )
        return text

    # -- sending ---------------------------------------------------------------------------
    @Slot()
    def on_send_clicked(self) -> None:
        if self.client.busy and self.request_id:
            self.stop()
            return
        text = self.composer.toPlainText().strip()
        if not text:
            return
        if not self._model_ready:
            self.banner.show_error(
                self.tr("No model is loaded yet. Wait for it to load, or pick one in Models."),
                self.tr("Open Models"),
                "models",
            )
            return
        self.composer.clear()
        self.send_text(text)

    def send_text(self, text: str) -> int:
        """Add a user turn and ask for the answer; returns the request id."""
        self.history.append(ChatMessage("user", text))
        self.transcript.add_message("user", text)
        return self._request_answer()

    def _request_answer(self) -> int:
        settings = self.get_settings()
        model_key = self.client.model.path.name if self.client.model else None
        effective = settings_mod.effective(settings, model_key)
        request = ChatRequest(
            history=tuple(self.history),
            system=effective.generation.system_prompt,
            gen=settings_mod.to_gen_params(effective),
            policy=effective.app.context_policy,
            min_start=self._window_start,
        )
        self._answer = ""
        self.banner.hide()
        self.transcript.begin_stream()
        self.request_id = self.client.generate(request)
        self._update_controls()
        return self.request_id

    @Slot()
    def stop(self) -> None:
        if self.request_id:
            self.client.stop(self.request_id)

    # -- engine events ---------------------------------------------------------------------
    @Slot(int, object)
    def _on_started(self, request_id: int, info: PromptInfo) -> None:
        if request_id != self.request_id:
            return
        self._window_start = info.first_kept
        self.context_label.setText(
            self.tr("{used} / {total} tokens").format(used=info.prompt_tokens, total=info.n_ctx)
        )
        for index, view in enumerate(v for v in self.transcript.views if not v.streaming):
            view.set_dimmed(index < info.first_kept)
        if info.notes:
            self.banner.show_info(" ".join(info.notes))

    @Slot(int, str)
    def _on_chunk(self, request_id: int, text: str) -> None:
        if request_id != self.request_id:
            return  # a stale request (stopped, or from another chat) must not leak in
        self._answer += text
        self.transcript.append_stream(text)

    @Slot(int, object)
    def _on_finished(self, request_id: int, stats: GenerationStats) -> None:
        if request_id == self.request_id:
            self._complete(stats)
            self.turn_finished.emit(request_id, stats)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: GenerationStats) -> None:
        if request_id == self.request_id:
            self._complete(stats)
            self.turn_finished.emit(request_id, stats)

    def _complete(self, stats: GenerationStats) -> None:
        self.last_stats = stats
        view = self.transcript.end_stream(self._answer)
        if self._answer:
            self.history.append(ChatMessage("assistant", self._answer))
        elif view is not None:
            self.transcript.remove_view(view)
        if view is not None and self._answer:
            meta = self.tr("{n} tokens · {tps:.1f} tokens/s").format(
                n=stats.completion_tokens, tps=stats.tokens_per_s
            )
            if stats.stop_reason == StopReason.STOPPED:
                meta += self.tr(" · stopped")
            elif stats.stop_reason == StopReason.LENGTH:
                meta += self.tr(" · cut off at the length limit")
            view.set_meta(meta)
        if self.client.model is not None:
            self.status_label.setText(self._model_text(self.client.model, stats))
            used = stats.prompt_tokens + stats.completion_tokens
            self.context_label.setText(
                self.tr("{used} / {total} tokens").format(used=used, total=self.client.model.n_ctx)
            )
        self.request_id = 0
        self._update_controls()

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id != self.request_id:
            return
        view = self.transcript.end_stream(self._answer)
        if self._answer:
            self.history.append(ChatMessage("assistant", self._answer))
        elif view is not None:
            self.transcript.remove_view(view)
            # Keep the question in the box, so nothing the user typed is lost.
            if self.history and self.history[-1].role == "user":
                last = self.history.pop()
                self.transcript.remove_view(self.transcript.views[-1])
                self.composer.setPlainText(last.content)
        self.banner.show_error(message)
        self.request_id = 0
        self._update_controls()
        self.turn_failed.emit(request_id, message)

    # -- misc ------------------------------------------------------------------------------
    def new_chat(self) -> None:
        self.stop()
        self.request_id = 0
        self.history.clear()
        self._window_start = 0
        self.transcript.clear()
        if self.client.model is not None:
            self.show_model_ready(self.client.model)

    def _update_controls(self) -> None:
        generating = bool(self.request_id)
        self.send_button.setText(self.tr("Stop") if generating else self.tr("Send"))
        self.send_button.setProperty("stop", generating)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.send_button.setEnabled(generating or self._model_ready)

    @Slot(str)
    def _on_banner_action(self, action: str) -> None:
        if action == "models":
            self.open_models_requested.emit()
