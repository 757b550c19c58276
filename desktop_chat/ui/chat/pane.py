"""The Chat pane: conversations on the left; transcript, composer, Send/Stop and status right."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_chat import settings as settings_mod
from desktop_chat.chat.answer_writer import SAVE_INTERVAL_S, AnswerWriter, StreamingAnswer
from desktop_chat.chat.profiles import Profile
from desktop_chat.chat.turns import build_turn
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.types import (
    ChatMessage,
    GenerationStats,
    ModelInfo,
    PromptInfo,
)
from desktop_chat.store import Message, Store, StoreError, title_from_text
from desktop_chat.ui.chat.composer import Composer
from desktop_chat.ui.chat.message_actions import MessageActions
from desktop_chat.ui.chat.sidebar import ConversationSidebar
from desktop_chat.ui.chat.suggestion_bar import SuggestionBar
from desktop_chat.ui.chat.transcript import PAGE_SIZE, Transcript
from desktop_chat.ui.shell.banner import Banner

log = logging.getLogger(__name__)


class ChatPane(QWidget):
    """Sends turns to the engine, shows answers as they stream in, and keeps every one."""

    turn_finished = Signal(int, object)  # request id, GenerationStats
    turn_failed = Signal(int, str)
    open_models_requested = Signal()
    profile_changed = Signal(str)  # a chat with another profile was opened

    def __init__(
        self,
        client: EngineClient,
        get_settings: Callable[[], settings_mod.Settings],
        store: Store,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chatPane")
        self.client = client
        self.get_settings = get_settings
        self.store = store
        self.profile: Profile | None = None
        # The app supplies the lookup; profiles live above the pane.
        self.find_profile: Callable[[str], Profile | None] = lambda _id: None
        self.conversation_id: int | None = None
        self.thread: list[Message] = []
        self.request_id = 0
        self.answers = AnswerWriter(store)
        self._streams: dict[int, StreamingAnswer] = {}
        self._context_full: set[int] = set()
        self._window_start: dict[int, int] = {}
        self._model_ready = False
        self._shown_from = 0
        self._last_question = 0

        self.sidebar = ConversationSidebar(store)
        self.banner = Banner(self)
        self.header = QLabel()
        self.header.setObjectName("chatHeader")
        # A long title must be cut, not widen the window past the screen.
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.header.setMinimumWidth(80)
        self.context_label = QLabel()
        self.context_label.setObjectName("statusLine")
        self.transcript = Transcript(self)
        self.suggestions = SuggestionBar()
        self.composer = Composer(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setMinimumWidth(88)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLine")
        self.actions = MessageActions(self)

        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(24, 8, 24, 4)
        top.addWidget(self.header, 1)
        top.addWidget(self.context_label)
        self._header_row = top
        self.new_chat_button = QPushButton(self.tr("New conversation"))
        self.new_chat_button.setObjectName("kioskNewChat")
        self.new_chat_button.clicked.connect(self.new_chat)
        self.new_chat_button.hide()
        top.addWidget(self.new_chat_button)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.suggestions)
        bottom = QWidget()
        bottom.setObjectName("composerArea")
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 8, 24, 8)
        row = QHBoxLayout()
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.status_label)
        layout.addWidget(bottom)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(column)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 900])
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        self.composer.submitted.connect(self.on_send_clicked)
        self.composer.stop_requested.connect(self.stop)
        self.send_button.clicked.connect(self.on_send_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)
        self.banner.action_clicked.connect(self._on_banner_action)
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_deleted.connect(self._on_conversation_deleted)
        self.sidebar.search_hit_activated.connect(self.open_search_hit)
        self.suggestions.asked.connect(self._ask_suggestion)
        self.transcript.message_action.connect(self.actions.run)
        self.transcript.load_earlier_requested.connect(self._show_earlier)

        client.started.connect(self._on_started)
        client.chunk.connect(self._on_chunk)
        client.finished.connect(self._on_finished)
        client.cancelled.connect(self._on_cancelled)
        client.failed.connect(self._on_failed)
        client.context_full.connect(self._context_full.add)
        self._save_timer = QTimer(self)
        self._save_timer.setInterval(int(SAVE_INTERVAL_S * 1000))
        self._save_timer.timeout.connect(self._save_streams)
        self._save_timer.start()
        self._update_controls()
        self._show_welcome()

    # -- model state -----------------------------------------------------------------------
    def show_loading(self, name: str) -> None:
        self._model_ready = False
        text = self.tr("Loading model… {name}").format(name=name)
        self.status_label.setText(text)
        self.banner.show_info(text)
        self._update_controls()

    def show_model_ready(self, info: ModelInfo) -> None:
        self._model_ready = True
        self.banner.hide()
        self.status_label.setText(self._model_text(info))
        self._show_welcome()
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

    # -- profiles --------------------------------------------------------------------------
    def set_profile(self, profile: Profile | None) -> None:
        """The profile for new chats (and the open chat, if it has no answer yet)."""
        self.profile = profile
        if self.conversation_id is not None and not self.thread:
            self.store.update_conversation(
                self.conversation_id, profile=profile.id if profile else None
            )
        self._show_welcome()

    def _show_welcome(self) -> None:
        profile = self.profile
        title = ""
        if self.conversation_id is not None:
            try:
                title = self.store.get_conversation(self.conversation_id).title
            except StoreError:
                title = ""
        self.header.setText(title or self.tr("New chat"))
        if self.thread:
            self.suggestions.hide()
            return
        greeting = profile.greeting if profile and profile.greeting else ""
        model = self.client.model.name if self.client.model else ""
        html = f"<h2>{self.tr('What can I help with?')}</h2>"
        if greeting:
            from html import escape

            html = f"<h2>{escape(greeting)}</h2>"
        if model:
            html += self.tr(
                "<p>{model} runs on this computer. Nothing you type leaves it.</p>"
            ).format(model=model)
        self.transcript.set_placeholder(html)
        self.suggestions.set_questions(profile.suggestions if profile else ())

    def add_header_widget(self, widget: QWidget) -> None:
        self._header_row.insertWidget(1, widget)
        self._header_extras = [*getattr(self, "_header_extras", []), widget]

    def add_header_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("headerButton")
        button.clicked.connect(slot)
        self._header_row.insertWidget(self._header_row.count() - 2, button)
        self._header_extras = [*getattr(self, "_header_extras", []), button]
        return button

    def set_kiosk(self, on: bool) -> None:
        """One chat, large type, no settings: for showing the demo to customers."""
        self.sidebar.setVisible(not on)
        self.context_label.setVisible(not on)
        self.status_label.setVisible(not on)
        for widget in getattr(self, "_header_extras", []):
            widget.setVisible(not on)
        self.new_chat_button.setVisible(on)
        if on:
            self.new_chat()

    def _ask_suggestion(self, question: str) -> None:
        if self._model_ready and not self.request_id:
            self.send_text(question)

    # -- conversations ---------------------------------------------------------------------
    @Slot()
    def new_chat(self) -> None:
        """An empty chat; it is stored once the first question is sent."""
        self.conversation_id = None
        self.thread = []
        self._detach_view()
        self.transcript.clear()
        self.sidebar.select(None)
        self.context_label.clear()
        self._show_welcome()
        self.composer.setFocus()
        self._update_controls()

    @Slot(int)
    def open_conversation(self, conversation_id: int, focus_message: int = 0) -> None:
        if conversation_id == self.conversation_id and not focus_message:
            return
        try:
            conversation = self.store.get_conversation(conversation_id)
            thread = self.store.active_thread(conversation_id)
        except StoreError as error:
            self.banner.show_error(str(error))
            return
        self._detach_view()
        self.conversation_id = conversation_id
        if conversation.profile:
            self._profile_from_id(conversation.profile)
        self._render_thread(thread, focus_message)
        self.sidebar.select(conversation_id)
        # Re-attach to an answer still streaming for this chat in the background.
        for request_id, stream in self._streams.items():
            if stream.conversation_id == conversation_id:
                self.request_id = request_id
                view = self.transcript.views[-1] if self.transcript.views else None
                if view is not None and view.message_id == stream.message_id:
                    self.transcript.remove_view(view)
                self.transcript.begin_stream().set_text(stream.text)
        self._update_controls()

    @Slot(int, int)
    def open_search_hit(self, conversation_id: int, message_id: int) -> None:
        if message_id:
            try:
                self.store.switch_to_sibling(message_id)  # the hit may sit on another branch
            except StoreError:
                message_id = 0
        self.conversation_id = None if message_id else self.conversation_id
        self.open_conversation(conversation_id, focus_message=message_id)

    def _profile_from_id(self, profile_id: str) -> None:
        profile = self.find_profile(profile_id)
        if profile is not None:
            self.profile = profile
            self.profile_changed.emit(profile.id)

    def _render_thread(self, thread: list[Message], focus_message: int = 0) -> None:
        self.thread = thread
        self.transcript.clear()
        start = max(0, len(thread) - PAGE_SIZE)
        if focus_message:
            index = next((i for i, m in enumerate(thread) if m.id == focus_message), start)
            start = min(start, max(0, index - 5))
        self._shown_from = start
        for message in thread[start:]:
            self._add_view(message)
        self.transcript.set_has_earlier(start > 0)
        self._apply_dimming()
        self._show_welcome()
        if focus_message:
            view = next((v for v in self.transcript.views if v.message_id == focus_message), None)
            if view is not None:
                QTimer.singleShot(0, lambda: self.transcript.scroll_to_view(view))

    @Slot()
    def _show_earlier(self) -> None:
        if self._shown_from == 0:
            return
        start = max(0, self._shown_from - PAGE_SIZE)
        older = self.thread[start : self._shown_from]
        views = self.transcript.prepend_messages([(m.role, m.content) for m in older])
        for message, view in zip(older, views, strict=True):
            self.actions.decorate(view, message)
        self._shown_from = start
        self.transcript.set_has_earlier(start > 0)
        self._apply_dimming()

    def _add_view(self, message: Message) -> None:
        view = self.transcript.add_message(message.role, message.content)
        self.actions.decorate(view, message)

    def _apply_dimming(self) -> None:
        first_kept = self._window_start.get(self.conversation_id or 0, 0)
        for offset, view in enumerate(v for v in self.transcript.views if not v.streaming):
            view.set_dimmed(self._shown_from + offset < first_kept)

    def reload_thread(self) -> None:
        if self.conversation_id is not None:
            self._render_thread(self.store.active_thread(self.conversation_id))

    @Slot(int)
    def _on_conversation_deleted(self, conversation_id: int) -> None:
        for request_id, stream in list(self._streams.items()):
            if stream.conversation_id == conversation_id:
                self.client.stop(request_id)
        if conversation_id == self.conversation_id:
            self.new_chat()

    def _detach_view(self) -> None:
        """Leave the on-screen stream; the answer goes on being generated and saved."""
        if self.request_id:
            self.transcript.end_stream()
        self.request_id = 0

    # -- sending ---------------------------------------------------------------------------
    @Slot()
    def on_send_clicked(self) -> None:
        if self.request_id:
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

    def send_text(self, text: str, parent_id: int | object | None = ...) -> int:
        """Store a question (as a new turn, or a new branch under ``parent_id``) and answer it."""
        try:
            if self.conversation_id is None:
                model = self.client.model.name if self.client.model else None
                conversation = self.store.create_conversation(
                    title_from_text(text),
                    model=model,
                    profile=self.profile.id if self.profile else None,
                    context_policy=self.get_settings().app.context_policy,
                )
                self.conversation_id = conversation.id
            kwargs = {} if parent_id is ... else {"parent_id": parent_id}
            question = self.store.add_message(self.conversation_id, "user", text, **kwargs)
        except StoreError as error:
            self.composer.setPlainText(text)
            self.banner.show_error(str(error))
            return 0
        self.sidebar.refresh()
        self.sidebar.select(self.conversation_id)
        self._render_thread(self.store.active_thread(self.conversation_id))
        return self.answer(question.id)

    def answer(self, question_id: int, continue_message: Message | None = None) -> int:
        """Generate an answer to ``question_id`` (or continue ``continue_message``)."""
        assert self.conversation_id is not None
        thread = self.store.active_thread(self.conversation_id)
        upto = next(i for i, m in enumerate(thread) if m.id == question_id)
        context = thread[: upto + 1]
        if continue_message is not None:
            context = [*context, continue_message]
        history = [
            ChatMessage(m.role, m.content) for m in context if m.role in ("user", "assistant")
        ]
        settings = self.get_settings()
        model_key = self.client.model.path.name if self.client.model else None
        conversation = self.store.get_conversation(self.conversation_id)
        turn = build_turn(
            settings,
            history,
            model_key=model_key,
            profile=self.profile,
            conversation_overrides=conversation.settings,
            conversation_key=str(self.conversation_id),
            min_start=self._window_start.get(self.conversation_id, 0),
            continue_last=continue_message is not None,
            policy=conversation.context_policy,
        )
        self._last_question = question_id
        if turn.notice:
            self.banner.show_info(turn.notice)
        else:
            self.banner.hide()
        try:
            if continue_message is not None:
                stream = self.answers.resume(continue_message)
            else:
                stream = self.answers.start(
                    self.conversation_id,
                    question_id,
                    model=self.client.model.name if self.client.model else None,
                    citations=turn.citations,
                )
        except StoreError as error:
            self.banner.show_error(str(error))
            return 0
        if continue_message is not None:
            view = next(
                (v for v in self.transcript.views if v.message_id == stream.message_id), None
            )
            if view is not None:
                self.transcript.remove_view(view)
        self.transcript.begin_stream().set_text(stream.text)
        self.request_id = self.client.generate(turn.request)
        self._streams[self.request_id] = stream
        self.suggestions.hide()
        self._update_controls()
        return self.request_id

    @Slot()
    def stop(self) -> None:
        if self.request_id:
            self.client.stop(self.request_id)

    @property
    def _answer(self) -> str:
        stream = self._streams.get(self.request_id)
        return stream.text if stream else ""

    # -- engine events ---------------------------------------------------------------------
    @Slot(int, object)
    def _on_started(self, request_id: int, info: PromptInfo) -> None:
        stream = self._streams.get(request_id)
        if stream is None:
            return
        self._window_start[stream.conversation_id] = info.first_kept
        if request_id != self.request_id:
            return
        self.context_label.setText(
            self.tr("{used} / {total} tokens").format(used=info.prompt_tokens, total=info.n_ctx)
        )
        self._apply_dimming()
        if info.notes:
            self.banner.show_info(" ".join(info.notes))

    @Slot(int, str)
    def _on_chunk(self, request_id: int, text: str) -> None:
        stream = self._streams.get(request_id)
        if stream is None:
            return
        stream.add(text)
        if request_id == self.request_id:  # another chat's tokens never reach this view
            self.transcript.append_stream(text)

    @Slot()
    def _save_streams(self) -> None:
        for stream in self._streams.values():
            self._store_safely(self.answers.save_due, stream)

    def _store_safely(self, write: Callable[..., None], *args: object) -> bool:
        """Run a store write; a refusal becomes the banner's sentence, the text stays in memory."""
        try:
            write(*args)
        except StoreError as error:
            log.warning("could not save the answer: %s", error)
            self.banner.show_error(str(error))
            return False
        return True

    @Slot(int, object)
    def _on_finished(self, request_id: int, stats: GenerationStats) -> None:
        self._complete(request_id, stats)

    @Slot(int, object)
    def _on_cancelled(self, request_id: int, stats: GenerationStats) -> None:
        self._complete(request_id, stats)

    def _complete(self, request_id: int, stats: GenerationStats) -> None:
        stream = self._streams.pop(request_id, None)
        if stream is None:
            return
        shown = request_id == self.request_id
        self._store_safely(self.answers.finish, stream, stats)
        if shown:
            self.transcript.end_stream(stream.text)
            self.request_id = 0
            self.reload_thread()
            if self.client.model is not None:
                self.status_label.setText(self._model_text(self.client.model, stats))
                used = stats.prompt_tokens + stats.completion_tokens
                self.context_label.setText(
                    self.tr("{used} / {total} tokens").format(
                        used=used, total=self.client.model.n_ctx
                    )
                )
        self.sidebar.refresh()
        self._update_controls()
        self.turn_finished.emit(request_id, stats)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        stream = self._streams.pop(request_id, None)
        context_full = request_id in self._context_full
        self._context_full.discard(request_id)
        if stream is None:
            return
        self._store_safely(self.answers.fail, stream)
        if request_id == self.request_id:
            self.transcript.end_stream(stream.text)
            self.request_id = 0
            self.reload_thread()
            if context_full:
                self.banner.show_error(message, self.tr("Drop oldest turns"), "drop_oldest")
            else:
                self.banner.show_error(message)
        self._update_controls()
        self.turn_failed.emit(request_id, message)

    # -- misc ------------------------------------------------------------------------------
    def _update_controls(self) -> None:
        generating = bool(self.request_id)
        self.send_button.setText(self.tr("Stop") if generating else self.tr("Send"))
        self.send_button.setProperty("stop", generating)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.send_button.setEnabled(generating or self._model_ready)
        self.actions.set_busy(generating)

    @Slot(str)
    def _on_banner_action(self, action: str) -> None:
        if action == "models":
            self.open_models_requested.emit()
        elif action == "drop_oldest" and self.conversation_id is not None:
            # The "ask" policy stopped this chat; the user chose to let old turns go.
            self.store.update_conversation(self.conversation_id, context_policy="drop_oldest")
            if self._last_question and not self.request_id:
                self.answer(self._last_question)

    def shutdown(self) -> None:
        """Write whatever is streaming before the engine stops; called at app exit."""
        self._save_timer.stop()
        for stream in self._streams.values():
            self._store_safely(self.answers.abandon, stream)
        # The engine's last events arrive after the store is closed; they find nothing to do.
        self._streams.clear()
        self.request_id = 0
        self.sidebar.flush_pending_delete()
