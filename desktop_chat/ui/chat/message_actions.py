"""Actions on one message: edit and resend, regenerate, continue, delete, switch branches."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop_chat.chat.turns import shown_citations
from desktop_chat.store import Message, StoreError
from desktop_chat.ui.chat.message_view import MessageView

if TYPE_CHECKING:
    from desktop_chat.ui.chat.pane import ChatPane

log = logging.getLogger(__name__)


class MessageActions(QObject):
    """Decorates message views with their buttons and carries out what they ask."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self._busy = False
        # Tests replace these to answer the dialogs.
        self.ask_text = self._ask_text
        self.confirm = self._confirm

    def decorate(self, view: MessageView, message: Message) -> None:
        view.message_id = message.id
        store = self.pane.store
        if message.role == "user":
            view.add_action(self.tr("Edit"), "edit")
        else:
            view.add_action(self.tr("Regenerate"), "regenerate")
            if message.stop_reason in ("length", "stopped") or not message.complete:
                view.add_action(self.tr("Continue"), "continue")
            view.set_meta(self._meta(message))
            shown = shown_citations(message.content, message.citations)
            if shown:
                from desktop_chat.ui.chat.citations import CitationsView

                view.layout().insertWidget(2, CitationsView(shown, view))
        view.add_action(self.tr("Delete"), "delete")
        try:
            siblings = store.siblings(message.id)
        except StoreError:
            return
        if siblings.count > 1:
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
        for view in self.pane.transcript.views:
            for action in ("edit", "regenerate", "continue", "delete", "previous", "next"):
                button = view.action_button(action)
                if button is not None:
                    button.setEnabled(not busy)

    @Slot(str, object)
    def run(self, action: str, view: MessageView) -> None:
        if self._busy or view.message_id is None or action == "copy":
            return
        store = self.pane.store
        try:
            message = next(m for m in self.pane.thread if m.id == view.message_id)
        except StopIteration:
            return
        try:
            if action == "edit":
                self._edit(message)
            elif action == "regenerate" and message.parent_id is not None:
                self.pane.answer(message.parent_id)
            elif action == "continue" and message.parent_id is not None:
                self.pane.answer(message.parent_id, continue_message=message)
            elif action == "delete":
                if self.confirm(
                    self.tr("Delete this message and everything after it in this branch?")
                ):
                    store.delete_message(message.id)
                    self.pane.reload_thread()
            elif action in ("previous", "next"):
                siblings = store.siblings(message.id)
                target = siblings.previous_id if action == "previous" else siblings.next_id
                if target is not None:
                    store.switch_to_sibling(target)
                    self.pane.reload_thread()
        except StoreError as error:
            self.pane.banner.show_error(str(error))

    def _edit(self, message: Message) -> None:
        text = self.ask_text(self.tr("Edit your message"), message.content)
        if text is None or not text.strip() or text == message.content:
            return
        # A new branch beside the old question: the old question and its answers stay.
        self.pane.send_text(text.strip(), parent_id=message.parent_id)

    def _ask_text(self, title: str, text: str) -> str | None:
        value, ok = QInputDialog.getMultiLineText(self.pane, title, self.tr("Message:"), text)
        return value if ok else None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self.pane, self.tr("Delete"), question)
        return answer == QMessageBox.StandardButton.Yes
