"""Which model answers the open chat, as the Chat pane shows it: status line, remote badge, picker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel

from desktop_chat.chat.controller import ChatController
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteTarget
from desktop_chat.engine.types import GenerationStats, ModelInfo
from desktop_chat.ui.chat.header import ChatHeader
from desktop_chat.ui.chat.meter import ContextMeter
from desktop_chat.ui.chat.model_picker import ModelPicker
from desktop_chat.ui.shell.widgets import plain_tooltip


class ModelStatus(QObject):
    """Names the model in use (local or on a remote engine) and how fast it last answered.

    The status line under the composer, the header's "Remote · <endpoint>" badge and the
    header's model picker all follow the open conversation's model.
    """

    def __init__(
        self,
        client: EngineClient,
        controller: ChatController,
        header_row: ChatHeader,
        status_label: QLabel,
        model_picker: ModelPicker,
        meter: ContextMeter,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._controller = controller
        self._badge = header_row.remote_badge
        self._status = status_label
        self._picker = model_picker
        self._meter = meter
        client.model_loading.connect(self._on_model_loading)
        client.model_loaded.connect(self.show_in_use)
        client.model_load_failed.connect(self.show_in_use)

    @property
    def remote(self) -> RemoteTarget | None:
        """The remote engine the open chat talks to, or None for this computer's model."""
        return self._controller.remote_target(self._controller.conversation_id)

    def model_text(self, info: ModelInfo, stats: GenerationStats | None = None) -> str:
        text = info.name
        if info.n_gpu_layers:
            text += self.tr(" · GPU {n} layers").format(n=info.n_gpu_layers)
        if stats is not None and stats.completion_tokens:
            text += self._speed(stats)
        return text

    def _speed(self, stats: GenerationStats) -> str:
        return self.tr(" · first token {ttft:.2f} s · {tps:.1f} tokens/s").format(
            ttft=stats.ttft_s, tps=stats.tokens_per_s
        )

    def _remote_text(self, target: RemoteTarget) -> str:
        return self.tr("{model} · remote engine {name}").format(
            model=target.model, name=target.endpoint
        )

    @Slot(int, str)
    def _on_model_loading(self, _request_id: int, path: str) -> None:
        self._picker.set_loading(Path(path))

    @Slot()
    def show_in_use(self, *_args: object) -> None:
        """The picker shows the chat's remote model, or the local one unless one is loading."""
        target = self.remote
        if target is not None:
            self._picker.set_remote(target.endpoint, target.model)
        elif not self._client.loading:
            model = self._client.model
            self._picker.set_local(model.path if model is not None else None)

    def show_remote(self) -> None:
        """The "Remote · <endpoint>" badge whenever this chat's text goes to another machine."""
        target = self.remote
        badge = self._badge
        badge.setVisible(target is not None)
        if target is not None:
            badge.setText(self.tr("Remote · {name}").format(name=target.endpoint))
            badge.setToolTip(
                plain_tooltip(
                    self.tr(
                        "{model} on the engine “{name}”: what you send here goes there."
                    ).format(model=target.model, name=target.endpoint)
                )
            )
            self._status.setText(self._remote_text(target))
        elif self._client.model is not None:
            self._status.setText(self.model_text(self._client.model))

    @Slot(object)
    def show_stats(self, stats: GenerationStats) -> None:
        """After an answer: the model, its speed, and (locally) the tokens the chat now uses."""
        target = self.remote
        if target is not None:
            self._status.setText(self._remote_text(target) + self._speed(stats))
            return
        model = self._client.model
        if model is not None:
            self._status.setText(self.model_text(model, stats))
            self._meter.counted(stats.prompt_tokens + stats.completion_tokens, model.n_ctx)
