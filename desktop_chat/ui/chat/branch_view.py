"""The open branch drawn in the transcript: a page at a time, dimmed past the context, answers in place."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from desktop_chat.chat.controller import ChatController
from desktop_chat.store import StoreError
from desktop_chat.ui.chat.message_actions import MessageActions
from desktop_chat.ui.chat.transcript import PAGE_SIZE, Transcript


class BranchView(QObject):
    """Puts the controller's active branch and its streaming answer into the transcript.

    Only the last page of a long branch gets views at first; earlier pages come when the
    reader asks. An answer that is continued or regenerated streams where the old one was.
    """

    def __init__(
        self,
        controller: ChatController,
        transcript: Transcript,
        actions: MessageActions,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._transcript = transcript
        self._actions = actions
        self.shown_from = 0  # index in the branch of the first message with a view
        transcript.load_earlier_requested.connect(self.show_earlier)
        controller.window_changed.connect(self.apply_dimming)
        controller.tools.approval_needed.connect(self._ask_tool_approval)
        controller.tools.call_finished.connect(self._show_tool_call)

    def render(self, focus_message: int = 0) -> None:
        """The branch's last page, or the page around ``focus_message`` (a search hit)."""
        branch = self._controller.branch
        transcript = self._transcript
        transcript.clear()
        start = max(0, len(branch) - PAGE_SIZE)
        if focus_message:
            index = next((i for i, m in enumerate(branch) if m.id == focus_message), start)
            start = min(start, max(0, index - 5))
        self.shown_from = start
        for message in branch[start:]:
            view = transcript.add_message(message.role, message.content)
            self._actions.decorate(view, message)
        transcript.set_has_earlier(start > 0)
        self.apply_dimming()

    def focus(self, message_id: int) -> None:
        """Scroll to ``message_id``'s view and outline it: where a jump landed."""
        view = next((v for v in self._transcript.views if v.message_id == message_id), None)
        if view is not None:
            QTimer.singleShot(0, lambda: self._transcript.scroll_to_view(view))
            view.flash()

    @Slot()
    def show_earlier(self) -> None:
        if self.shown_from == 0:
            return
        start = max(0, self.shown_from - PAGE_SIZE)
        older = self._controller.branch[start : self.shown_from]
        views = self._transcript.prepend_messages([(m.role, m.content) for m in older])
        for message, view in zip(older, views, strict=True):
            self._actions.decorate(view, message)
        self.shown_from = start
        self._transcript.set_has_earlier(start > 0)
        self.apply_dimming()

    @Slot()
    def apply_dimming(self) -> None:
        """Messages the model no longer sees (dropped to fit the context) are dimmed."""
        first_kept = self._controller.first_kept()
        for offset, view in enumerate(v for v in self._transcript.views if not v.streaming):
            view.set_dimmed(self.shown_from + offset < first_kept)

    def stream_started(self, message_id: int, text: str) -> None:
        """A view for the answer now streaming, with the text and reasoning it has so far."""
        # A continued (or re-attached) answer replaces its finished-looking view, and a
        # regenerated one the answers below its question: both stream in place.
        transcript = self._transcript
        views = transcript.views
        view = next((v for v in views if v.message_id == message_id), None)
        if view is not None:
            transcript.remove_view(view)
        question = self._question_of(message_id)
        index = next((i for i, v in enumerate(views) if v.message_id == question), None)
        if index is not None:
            for below in [v for v in views[index + 1 :] if not v.streaming]:
                transcript.remove_view(below)
        stream_view = transcript.begin_stream()
        stream_view.set_text(text)
        reasoning = self._controller.answer_reasoning
        if reasoning:  # re-attached, continued, or the text so far turned out to be thought
            block = stream_view.thinking()
            block.set_text(reasoning)
            if text:
                block.finish(self._controller.answer_thought_s)
            else:
                block.start_live()

    def _question_of(self, message_id: int) -> int | None:
        try:
            return self._controller.store.get_message(message_id).parent_id
        except StoreError:
            return None

    @Slot(int, str, object, str)
    def _ask_tool_approval(
        self, request_id: int, name: str, arguments: object, server: str
    ) -> None:
        """Inline in the answer: Allow once / Always for this tool / Deny (chat.tool_turns)."""
        from desktop_chat.ui.chat.tool_approval import ToolApproval

        tools = self._controller.tools
        view = self._transcript.streaming_view
        if view is None:
            tools.decide(request_id, "deny")
            return
        approval = ToolApproval(name, dict(arguments or {}), server, self._transcript.theme)
        view.body_box.layout().addWidget(approval)

        def decided(decision: str) -> None:
            approval.hide()
            approval.deleteLater()
            tools.decide(request_id, decision)

        approval.decided.connect(decided)
        approval.allow_button.setFocus()

    @Slot(int, object)
    def _show_tool_call(self, _request_id: int, record: object) -> None:
        view = self._transcript.streaming_view
        if view is not None and isinstance(record, dict):
            view.add_tool_call(record)
