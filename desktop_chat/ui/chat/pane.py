"""The Chat pane: conversations on the left; transcript, composer, Send/Stop and status right.

A view of the ChatController (desktop_chat/chat/controller.py): user actions are forwarded to
it, and what its signals say is drawn here. Turns, streaming and saving live there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop_chat import settings as settings_mod
from desktop_chat.chat.controller import ChatController
from desktop_chat.chat.profiles import Profile
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteTarget
from desktop_chat.engine.types import ModelInfo
from desktop_chat.store import Message, Store
from desktop_chat.ui.chat.attachments import AttachmentBar
from desktop_chat.ui.chat.branch_view import BranchView
from desktop_chat.ui.chat.composer import Composer
from desktop_chat.ui.chat.composer_area import composer_area
from desktop_chat.ui.chat.header import ChatHeader, named_label
from desktop_chat.ui.chat.kiosk_mode import KioskMode
from desktop_chat.ui.chat.message_actions import MessageActions
from desktop_chat.ui.chat.meter import ContextMeter
from desktop_chat.ui.chat.model_picker import ModelPicker
from desktop_chat.ui.chat.model_status import ModelStatus
from desktop_chat.ui.chat.notices import ChatNotices
from desktop_chat.ui.chat.sidebar import ConversationSidebar
from desktop_chat.ui.chat.sidebar_placement import SidebarPlacement
from desktop_chat.ui.chat.suggestion_bar import SuggestionBar
from desktop_chat.ui.chat.transcript import Transcript
from desktop_chat.ui.chat.welcome import Welcome
from desktop_chat.ui.shell.banner import Banner


class ChatPane(QWidget):
    """Shows the controller's conversation, its answers as they stream in, and the controls."""

    turn_finished = Signal(int, object)  # request id, GenerationStats
    turn_failed = Signal(int, str)
    open_models_requested = Signal()
    profile_changed = Signal(str)  # a chat with another profile was opened
    model_requested = Signal(object)  # Path: the header's picker asks for this local model

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
        self.controller = ChatController(client, get_settings, store, self)
        self._model_ready = False

        self.sidebar = ConversationSidebar(store)
        self.banner = Banner(self)
        self.notices = ChatNotices(self.banner, self.controller, self)
        self.notices.open_models_requested.connect(self.open_models_requested)
        self.header_row = ChatHeader()
        self.header = self.header_row.title
        self.context_label = self.header_row.context_label
        self.meter = ContextMeter(self.context_label, self)
        self.model_picker = ModelPicker()
        self.header_row.add_widget(self.model_picker)
        self.model_picker.local_chosen.connect(self._on_local_chosen)
        self.model_picker.remote_chosen.connect(self.use_remote)
        self.status_label = named_label("statusLine")  # shows the model's own name
        self.model_status = ModelStatus(
            client,
            self.controller,
            self.header_row,
            self.status_label,
            self.model_picker,
            self.meter,
            self,
        )
        self.model_picker.refresh()
        self.new_chat_button = self.header_row.new_chat_button
        self.new_chat_button.setText(self.tr("New conversation"))
        self.transcript = Transcript(self)
        self.suggestions = SuggestionBar()
        self.composer = Composer(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setMinimumWidth(88)
        self.welcome = Welcome(
            client, self.controller, self.header, self.transcript, self.suggestions, self
        )
        self.actions = MessageActions(self.controller, self.transcript, self)
        self.branch_view = BranchView(self.controller, self.transcript, self.actions, self)

        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.suggestions)
        self.attachments = AttachmentBar(self.controller)
        bottom, self.composer_column = composer_area(
            self.attachments,
            self.composer,
            self.send_button,
            self.status_label,
            self.transcript.max_width,
        )
        layout.addWidget(bottom)
        self.splitter = QSplitter()
        self.placement = SidebarPlacement(
            self, self.sidebar, self.splitter, self.header_row, lambda: self.kiosk.on
        )
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(column)
        self._column = column
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 900])
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)
        self.kiosk = KioskMode(self.controller, self.composer, self)
        self.kiosk.idle_reset.connect(self.new_chat)

        # What the user does goes to the controller ...
        self.header_row.new_chat_requested.connect(self.new_chat)
        self.header_row.sidebar_toggled.connect(self.toggle_sidebar)
        self.composer.submitted.connect(self.on_send_clicked)
        self.composer.stop_requested.connect(self.stop)
        self.composer.files_dropped.connect(self.attachments.attach_files)
        self.send_button.clicked.connect(self.on_send_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_deleted.connect(self.controller.conversation_deleted)
        self.sidebar.search_hit_activated.connect(self.open_search_hit)
        self.suggestions.asked.connect(self._ask_suggestion)
        self.transcript.message_action.connect(self.actions.run)
        # ... and what it says is drawn here.
        c = self.controller
        c.conversation_changed.connect(self._on_conversation_changed)
        c.conversation_changed.connect(self._show_remote)
        c.model_changed.connect(self._show_remote)
        c.conversation_changed.connect(self.model_status.show_in_use)
        c.model_changed.connect(self.model_status.show_in_use)
        c.messages_changed.connect(self._render_branch)
        c.conversations_changed.connect(self.sidebar.refresh)
        c.profile_changed.connect(self.profile_changed)
        c.stream_started.connect(self._on_stream_started)
        c.stream_chunk.connect(self.transcript.append_stream)
        c.stream_chunk.connect(self.meter.streamed)
        c.reasoning_chunk.connect(self.transcript.append_reasoning)
        c.stream_ended.connect(self.transcript.end_stream)
        c.busy_changed.connect(self._update_controls)
        c.grounding_started.connect(self._on_grounding_started)
        c.prompt_info.connect(self.meter.counted)
        c.stats_changed.connect(self.model_status.show_stats)
        c.draft_returned.connect(self.composer.setPlainText)
        c.turn_finished.connect(self.turn_finished)
        c.turn_failed.connect(self.turn_failed)
        self._update_controls()
        self._show_welcome()

    # -- what tests, the app and tools read ------------------------------------------------
    @property
    def messages(self) -> list[Message]:
        """The open conversation's active branch, as shown."""
        return self.controller.branch

    @property
    def conversation_id(self) -> int | None:
        return self.controller.conversation_id

    @property
    def request_id(self) -> int:
        """The engine request whose answer is on screen (0: none)."""
        return self.controller.request_id

    @property
    def profile(self) -> Profile | None:
        return self.controller.profile

    @property
    def _answer(self) -> str:
        return self.controller.answer_text

    # -- model state -----------------------------------------------------------------------
    def show_loading(self, name: str) -> None:
        self._model_ready = False
        text = self.tr("Loading model… {name}").format(name=name)
        self.status_label.setText(text)
        self.notices.loading(text)
        self._update_controls()

    def show_model_ready(self, info: ModelInfo) -> None:
        self._model_ready = True
        self.banner.hide()
        self.status_label.setText(self.model_status.model_text(info))
        self._show_welcome()
        self._update_controls()

    def show_load_failed(self, message: str) -> None:
        self._model_ready = False
        self.status_label.setText(self.tr("No model loaded"))
        self.notices.load_failed(message)
        self._update_controls()

    def show_no_model(self) -> None:
        self._model_ready = False
        self.status_label.setText(self.tr("No model loaded"))
        self.notices.no_model()
        self._update_controls()

    # -- profiles and the header -----------------------------------------------------------
    def set_profile(self, profile: Profile | None) -> None:
        """The profile for new chats (and the open chat, if it has no answer yet)."""
        self.controller.set_profile(profile)
        self._show_welcome()

    def _show_welcome(self) -> None:
        self.welcome.show(self.kiosk.on)

    def add_header_widget(self, widget: QWidget) -> None:
        self.header_row.add_widget(widget)

    def add_header_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        return self.header_row.add_button(text, slot)

    def set_kiosk(self, on: bool) -> None:
        """One chat, large type, no settings: for showing the demo to customers.

        No editing controls, statistics, model name or chat titles; the header shows the
        profile's name (the shop's) and a conversation left idle starts afresh.
        """
        self.kiosk.set_on(on)
        self.status_label.setVisible(not on)
        self.attachments.button.setVisible(not on)  # customers ask; they do not upload files
        self.header_row.set_kiosk(on)
        self.transcript.set_kiosk(on)
        self.placement.place()
        if on:
            self.new_chat()
            self.kiosk.activity()
        else:
            self._show_welcome()

    def set_kiosk_idle_minutes(self, minutes: int) -> None:
        """How long a kiosk conversation may sit unused before a fresh one starts (0: never)."""
        self.kiosk.set_idle_minutes(minutes)

    # -- layout ----------------------------------------------------------------------------
    @property
    def narrow(self) -> bool:
        """Whether the conversation list waits behind the header's toggle for want of room."""
        return self.placement.narrow

    @Slot()
    def toggle_sidebar(self) -> None:
        self.placement.toggle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.placement.resized(event.size().width())

    def minimumSizeHint(self) -> QSize:
        # The list gives way (it floats over a narrow chat): only the chat column must fit.
        hint = super().minimumSizeHint()
        return QSize(self._column.minimumSizeHint().width(), hint.height())

    def set_readable_width(self, width: int) -> None:
        """The messages' and the composer's column width (Settings > Appearance)."""
        self.transcript.set_max_width(width)
        self.composer_column.setMaximumWidth(width)

    def _ask_suggestion(self, question: str) -> None:
        if self._model_ready and not self.controller.busy:
            self.send_text(question)

    # -- conversations (forwarded) ---------------------------------------------------------
    @Slot()
    def new_chat(self) -> None:
        """An empty chat; it is stored once the first question is sent."""
        self.controller.new_chat()
        self.composer.setFocus()

    @Slot(int)
    def open_conversation(self, conversation_id: int, focus_message: int = 0) -> None:
        self.controller.open_conversation(conversation_id, focus_message)

    @Slot(int, int)
    def open_search_hit(self, conversation_id: int, message_id: int) -> None:
        self.controller.open_search_hit(conversation_id, message_id)

    def reload_messages(self) -> None:
        self.controller.reload()

    # -- drawing the conversation ----------------------------------------------------------
    @Slot(object)
    def _on_conversation_changed(self, conversation_id: int | None) -> None:
        self.sidebar.select(conversation_id)
        if conversation_id is None:
            self.context_label.clear()
        self.notices.chat_left()

    @Slot(int)
    def _render_branch(self, focus_message: int = 0) -> None:
        self.branch_view.render(focus_message)
        self._show_welcome()
        n_ctx = self.client.model.n_ctx if self.client.model else 0
        self.meter.show_branch(self.controller.conversation_id, self.controller.branch, n_ctx)
        if focus_message:
            self.branch_view.focus(focus_message)  # the hit, outlined where the jump landed

    @Slot(int, str)
    def _on_stream_started(self, message_id: int, text: str) -> None:
        self.branch_view.stream_started(message_id, text)
        self.suggestions.hide()

    # -- sending (forwarded) ---------------------------------------------------------------
    @Slot()
    def on_send_clicked(self) -> None:
        if self.controller.busy:
            self.stop()
            return
        text = self.composer.toPlainText().strip()
        if not text:
            return
        if not self._model_ready and self._remote is None:
            self.notices.not_loaded_yet()
            return
        self.composer.clear()
        self.send_text(text)

    def send_text(self, text: str, parent_id: int | object | None = ...) -> int:
        """Ask ``text``; the engine request id, or 0 (see ChatController.send_text)."""
        return self.controller.send_text(text, parent_id)

    @Slot()
    def stop(self) -> None:
        self.controller.stop()

    # -- what the controller says ----------------------------------------------------------
    @Slot(str)
    def _on_grounding_started(self, knowledge_base: str) -> None:
        self.notices.searching(knowledge_base)
        self.transcript.wait_for_sources()

    # -- the model picker and a remote model -----------------------------------------------
    @Slot(object)
    def _on_local_chosen(self, path: Path) -> None:
        if self._remote is not None:
            self.controller.use_remote(None)  # back to this computer's model
        self.model_requested.emit(path)

    @property
    def _remote(self) -> RemoteTarget | None:
        return self.model_status.remote

    def use_remote(self, endpoint: str, model: str) -> None:
        """Talk to a remote model in this chat and new ones (Settings → Engines → Use in chat)."""
        self.controller.use_remote(RemoteTarget(endpoint, model))
        self._show_welcome()

    @Slot()
    def _show_remote(self, _conversation: object = None) -> None:
        self.model_status.show_remote()
        self._update_controls()

    def _update_controls(self, _busy: object = None) -> None:
        busy = self.controller.busy
        self.send_button.setText(self.tr("Stop") if busy else self.tr("Send"))
        self.send_button.setProperty("stop", busy)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.send_button.setEnabled(busy or self._model_ready or self._remote is not None)
        self.actions.set_busy(busy)
        if not busy:
            self.transcript.drop_unstarted()  # a lookup stopped before any answer began

    # -- the store's life ------------------------------------------------------------------
    def release_store(self) -> None:
        """Write whatever is streaming and stop using the store; it is about to close."""
        self.controller.release_store()
        self.sidebar.flush_pending_delete()

    def set_store(self, store: Store) -> None:
        """Everything in the chat uses ``store`` from now on (after Delete all my data)."""
        self.sidebar.set_store(store)
        self.controller.set_store(store)

    def shutdown(self) -> None:
        """Write whatever is streaming before the engine stops; called at app exit."""
        self.model_picker.shutdown()
        self.controller.shutdown()
        self.sidebar.flush_pending_delete()
