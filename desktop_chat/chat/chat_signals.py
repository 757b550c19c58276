"""What the chat tells its view: the signals of the chat controller, declared in one place."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

DROP_OLDEST = "drop_oldest"  # the action a context-full problem offers; the view names it


class ChatSignals(QObject):
    """The base of ``Answering`` (and so of the controller); a view connects to these."""

    # The view's picture of the chat
    conversation_changed = Signal(object)  # the open conversation's id, or None for a new chat
    messages_changed = Signal(int)  # the branch was reloaded; a message id to bring into view
    conversations_changed = Signal()  # titles or order changed: the list needs a refresh
    profile_changed = Signal(str)  # a chat with another profile was opened
    # The shown answer
    stream_started = Signal(int, str)  # message id being written (a view of it is replaced), text
    stream_chunk = Signal(str)  # text added to the answer
    reasoning_chunk = Signal(str)  # text added to the reasoning (thought block) above it
    stream_ended = Signal(object)  # the final text, or None when the view merely leaves it
    busy_changed = Signal(bool)  # an answer is being prepared or generated for this chat
    grounding_started = Signal(str)  # the knowledge base being searched for this turn
    prompt_info = Signal(int, int)  # tokens in the prompt, context size
    window_changed = Signal()  # the first message the model still sees moved
    model_changed = Signal()  # the chat now talks to another model (remote_target changed)
    stats_changed = Signal(object)  # GenerationStats of the turn just finished here
    # Words for the user
    notice = Signal(str)  # an informative sentence; "" clears it
    problem = Signal(str, str)  # a sentence, and an action to offer ("" or DROP_OLDEST)
    draft_returned = Signal(str)  # a question that could not be stored goes back to the composer
    # Every turn, shown or not
    turn_finished = Signal(int, object)  # request id, GenerationStats
    turn_failed = Signal(int, str)
