"""Actions on one message: edit and resend, regenerate, continue, delete, switch branches."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QInputDialog, QWidget

from desktop_chat.chat.controller import ChatController
from desktop_chat.chat.turns import shown_citations
from desktop_chat.store import Message
from desktop_chat.ui.chat.message_view import MessageView
from desktop_chat.ui.chat.transcript import Transcript
from desktop_chat.ui.shell.widgets import ask_yes_no

log = logging.getLogger(__name__)


class MessageActions(QObject):
    """Decorates message views with their buttons; the controller carries out what they ask."""

    def __init__(self, controller: ChatController, transcript: Transcript, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.transcript = transcript
        self._parent = parent  # the dialogs' parent
        self._busy = False
        # Tests replace these to answer the dialogs.
        self.ask_text = self._ask_text
        self.confirm = self._confirm

    def decorate(self, view: MessageView, message: Message) -> None:
        view.message_id = message.id
        if message.role == "user":
            view.add_action(self.tr("Edit"), "edit")
        else:
            if message.reasoning.strip():
                block = view.thinking()
                block.set_text(message.reasoning)
                block.finish(message.metadata.get("thought_s"))
            for record in message.tool_calls:  # stored with the answer: shown again on reload
                view.add_tool_call(record)
            view.add_action(self.tr("Regenerate"), "regenerate")
            if message.stop_reason in ("length", "stopped") or not message.complete:
                view.add_action(self.tr("Continue"), "continue")
            view.set_meta(self._meta(message))
            shown = shown_citations(message.content, message.citations)
            if shown:
                from desktop_chat.ui.chat.citations import CitationsView

                unsupported = message.metadata.get("unsupported") or ()
                view.layout().insertWidget(2, CitationsView(shown, view, unsupported))
        view.add_action(self.tr("Delete"), "delete")
        siblings = self.controller.siblings(message.id)
        if siblings is not None and siblings.count > 1:
            view.set_branch(siblings.position, siblings.count)
            prev_button = view.add_action("‹", "previous")
            next_button = view.add_action("›", "next")
            prev_button.setEnabled(siblings.previous_id is not None)
            next_button.setEnabled(siblings.next_id is not None)
            prev_button.setToolTip(self.tr("Previous version"))
            next_button.setToolTip(self.tr("Next version"))

    def _meta(self, message: Message) -> str:
        parts = []
        if message.tokens:
            parts.append(self.tr("{n} tokens").format(n=message.tokens))
        if message.tokens_per_s:
            parts.append(self.tr("{tps:.1f} tokens/s").format(tps=message.tokens_per_s))
        if message.stop_reason == "stopped":
            parts.append(self.tr("stopped"))
        elif message.stop_reason == "length":
            parts.append(self.tr("cut off at the length limit"))
        elif message.stop_reason == "error":
            parts.append(self.tr("interrupted by an error"))
        elif not message.complete:
            parts.append(self.tr("incomplete — the app closed while it was being written"))
        return " · ".join(parts)

    def set_busy(self, busy: bool) -> None:
        """While an answer streams, actions that would start another one are disabled."""
        self._busy = busy
        for view in self.transcript.views:
            for action in ("edit", "regenerate", "continue", "delete", "previous", "next"):
                button = view.action_button(action)
                if button is not None:
                    button.setEnabled(not busy)

    @Slot(str, object)
    def run(self, action: str, view: MessageView) -> None:
        if self._busy or view.message_id is None or action == "copy":
            return
        message = self.controller.message(view.message_id)
        if message is None:
            return
        if action == "edit":
            editor = view.edit_inline(message.content)
            editor.submitted.connect(lambda text: self._resend(view, message, text))
            editor.cancelled.connect(view.end_edit)
        elif action == "regenerate":
            self.controller.regenerate(message.id)
        elif action == "continue":
            self.controller.continue_answer(message.id)
        elif action == "delete":
            if self.confirm(self.tr("Delete this message and everything after it in this branch?")):
                self.controller.delete_message(message.id)
        elif action in ("previous", "next"):
            self.controller.switch_branch(message.id, -1 if action == "previous" else 1)

    def _resend(self, view: MessageView, message: Message, text: str) -> None:
        view.end_edit()
        if text != message.content and not self._busy:
            # A new branch beside the old question: the old question and its answers stay.
            self.controller.edit(message.id, text)

    def _ask_text(self, title: str, text: str) -> str | None:
        value, ok = QInputDialog.getMultiLineText(self._parent, title, self.tr("Message:"), text)
        return value if ok else None

    def _confirm(self, question: str) -> bool:
        return ask_yes_no(self._parent, self.tr("Delete"), question)
