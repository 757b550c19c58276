"""The header's "1234 / 8192 tokens": the open conversation's use of the context, live."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel

from desktop_chat.store import Message

# Characters per token, for the estimate shown until the engine counts (English-like text).
CHARS_PER_TOKEN = 4
# What each message costs in the prompt besides its text (role markers of a chat template).
MESSAGE_OVERHEAD = 4


def estimate_tokens(messages: Sequence[Message]) -> int:
    """About how many tokens ``messages`` take in a prompt, without a tokenizer."""
    total = 0
    for message in messages:
        counted = message.tokens if message.role == "assistant" and message.tokens else 0
        total += (counted or len(message.content) // CHARS_PER_TOKEN) + MESSAGE_OVERHEAD
    return total


class ContextMeter(QObject):
    """Keeps the label true for the conversation and branch on screen.

    The engine's count (the prompt when a turn starts, prompt + answer when it ends) is
    remembered per conversation; a chat or branch never counted shows an estimate (≈), and
    while an answer streams the count grows with its text.
    """

    def __init__(self, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.total = 0
        self.used = 0
        self.estimated = False
        self._streamed_chars = 0
        # (conversation, last message shown) -> the engine's (used, total) for that branch
        self._counted: dict[tuple[int, int], tuple[int, int]] = {}
        self._branch: tuple[int, int] | None = None

    def show_branch(
        self, conversation_id: int | None, messages: Sequence[Message], n_ctx: int
    ) -> None:
        """A conversation (or another branch of it) is on screen: what it uses."""
        self._streamed_chars = 0
        if conversation_id is None or not messages or n_ctx <= 0:
            self._branch = None
            self.used, self.total = 0, n_ctx
            self.label.clear()
            return
        self._branch = (conversation_id, messages[-1].id)
        counted = self._counted.get(self._branch)
        if counted is not None:
            (self.used, self.total), self.estimated = counted, False
        else:
            self.used, self.total = estimate_tokens(messages), n_ctx
            self.estimated = True
        self._show()

    @Slot(int, int)
    def counted(self, used: int, total: int) -> None:
        """The engine's own count (the prompt at the start of a turn)."""
        self.used, self.total, self.estimated = used, total, False
        self._streamed_chars = 0
        if self._branch is not None:
            self._counted[self._branch] = (used, total)
        self._show()

    @Slot(str)
    def streamed(self, text: str) -> None:
        """A piece of the answer on screen: the count moves while it streams."""
        if not self.total:
            return
        before = self._streamed_chars // CHARS_PER_TOKEN
        self._streamed_chars += len(text)
        if self._streamed_chars // CHARS_PER_TOKEN != before:
            self._show()

    @property
    def shown_used(self) -> int:
        return self.used + self._streamed_chars // CHARS_PER_TOKEN

    def _show(self) -> None:
        used = min(self.shown_used, self.total) if self.total else self.shown_used
        if self.estimated:
            text = self.tr("≈ {used} / {total} tokens")
        else:
            text = self.tr("{used} / {total} tokens")
        self.label.setText(text.format(used=used, total=self.total))
