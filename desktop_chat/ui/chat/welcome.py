"""The Chat pane's title, and its welcome while a chat is empty: greeting, where the model runs."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject

from desktop_chat.chat.controller import ChatController
from desktop_chat.engine.client import EngineClient
from desktop_chat.ui.chat.elided_label import ElidedLabel
from desktop_chat.ui.chat.suggestion_bar import SuggestionBar
from desktop_chat.ui.chat.transcript import Transcript


class Welcome(QObject):
    """Sets the header's title; an empty chat gets the profile's greeting and suggestions.

    Outside kiosk view the welcome says where the model runs (this computer or a remote
    engine). In kiosk view customers see the shop: its logo, name and greeting only.
    """

    def __init__(
        self,
        client: EngineClient,
        controller: ChatController,
        title: ElidedLabel,
        transcript: Transcript,
        suggestions: SuggestionBar,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._controller = controller
        self._title = title
        self._transcript = transcript
        self._suggestions = suggestions

    def show(self, kiosk: bool) -> None:
        controller = self._controller
        profile = controller.profile
        if kiosk:  # the shop's name, never a chat's internal title
            shop = (profile.shop_name or profile.name) if profile else ""
            self._title.setText(shop or self.tr("Desktop Chat"))
        else:
            self._title.setText(controller.title() or self.tr("New chat"))
        if controller.branch:
            self._suggestions.hide()
            return
        greeting = profile.greeting if profile and profile.greeting else ""
        model = self._client.model.name if self._client.model else ""
        text = f"<h2>{self.tr('What can I help with?')}</h2>"
        if greeting:
            text = f"<h2>{html.escape(greeting)}</h2>"
        remote = controller.remote_target(controller.conversation_id)
        self._transcript.set_logo(profile.logo if kiosk and profile else "")
        if kiosk:
            # Customers see the shop: its logo, its name and its greeting; nothing internal.
            shop = profile.shop_name if profile else ""
            if shop:
                text = f"<h1>{html.escape(shop)}</h1>" + text
        elif remote is not None:
            text += self.tr(
                "<p>{model} runs on the engine “{name}”: what you type is sent there.</p>"
            ).format(model=html.escape(remote.model), name=html.escape(remote.endpoint))
        elif model:
            # The name comes from the model file's own metadata: shown as text, never markup.
            text += self.tr(
                "<p>{model} runs on this computer. Nothing you type leaves it.</p>"
            ).format(model=html.escape(model))
        self._transcript.set_placeholder(text)
        self._suggestions.set_questions(profile.suggestions if profile else ())
