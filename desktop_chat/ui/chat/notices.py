"""What the Chat pane's banner says (model loading, no model, lookups, problems) and its buttons do."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from desktop_chat.chat.controller import DROP_OLDEST, ChatController
from desktop_chat.ui.shell.banner import Banner

OPEN_MODELS = "models"  # the banner action that opens the Models pane


class ChatNotices(QObject):
    """Puts the chat's notices and problems in the banner, each with a way forward.

    "Open Models" asks the app for the Models pane (``open_models_requested``); "Drop
    oldest turns" asks the controller to retry without them.
    """

    open_models_requested = Signal()

    def __init__(self, banner: Banner, controller: ChatController, parent: QObject) -> None:
        super().__init__(parent)
        self._banner = banner
        self._controller = controller
        self._searching = ""  # the banner's text while a knowledge base is searched
        banner.action_clicked.connect(self._on_action)
        controller.notice.connect(self._on_notice)
        controller.problem.connect(self._on_problem)

    def loading(self, text: str) -> None:
        self._banner.show_info(text)

    def load_failed(self, message: str) -> None:
        self._banner.show_error(message, self.tr("Open Models"), OPEN_MODELS)

    def no_model(self) -> None:
        self._banner.show_info(
            self.tr("No model yet. Open Models to pick a GGUF file or download one."),
            self.tr("Open Models"),
            OPEN_MODELS,
        )

    def not_loaded_yet(self) -> None:
        """Send was pressed with no model to answer."""
        self._banner.show_error(
            self.tr("No model is loaded yet. Wait for it to load, or pick one in Models."),
            self.tr("Open Models"),
            OPEN_MODELS,
        )

    def searching(self, knowledge_base: str) -> None:
        self._searching = self.tr("Searching the knowledge base “{name}”…").format(
            name=knowledge_base
        )
        self._banner.show_info(self._searching)

    def chat_left(self) -> None:
        """Another chat opened: a lookup still in the banner belonged to the one just left."""
        if self._searching and self._banner.text == self._searching:
            self._banner.hide()
        self._searching = ""

    @Slot(str)
    def _on_notice(self, text: str) -> None:
        if text:
            self._banner.show_info(text)
        else:
            self._banner.hide()

    @Slot(str, str)
    def _on_problem(self, text: str, action: str) -> None:
        if action == DROP_OLDEST:
            self._banner.show_error(text, self.tr("Drop oldest turns"), DROP_OLDEST)
        else:
            self._banner.show_error(text)

    @Slot(str)
    def _on_action(self, action: str) -> None:
        if action == OPEN_MODELS:
            self.open_models_requested.emit()
        elif action == DROP_OLDEST:
            self._controller.drop_oldest_and_retry()
