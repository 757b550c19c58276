"""Recent chats' KV states within a byte budget, and which chat the live context holds."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

from desktop_chat.engine.kv_state import SavedState, common_prefix

log = logging.getLogger(__name__)

MIB = 1024 * 1024


class StateBackend(Protocol):
    def state_size(self) -> int: ...
    def save_state(self) -> SavedState: ...
    def load_state(self, state: SavedState) -> None: ...
    def cached_prefix(self, tokens: Sequence[int]) -> int: ...


class ChatStates:
    """Keeps each recent chat's KV cache so going back to it does not re-read its prompt.

    ``budget()`` is the byte budget now (the loaded model's ``inference.state_cache_mb``).
    """

    def __init__(self, backend: StateBackend, budget: Callable[[], int]) -> None:
        self._backend, self._budget = backend, budget
        self.states: OrderedDict[str, SavedState] = OrderedDict()
        self.active = ""

    @property
    def nbytes(self) -> int:
        return sum(state.nbytes for state in self.states.values())

    def clear(self) -> None:
        self.states.clear()
        self.active = ""

    def keep(self, key: str, state: SavedState) -> None:
        """Cache ``state``, dropping the least recent ones beyond the byte budget.

        A count was no bound: one state is n_tokens x the KV bytes per token, a few MB on
        SmolLM2 and GBs for a long chat on a big model.
        """
        budget = self._budget()
        self.states.pop(key, None)
        if state.nbytes > budget:
            log.info("not keeping a %d-byte chat state (budget %d bytes)", state.nbytes, budget)
        else:
            self.states[key] = state
        while self.nbytes > budget:
            self.states.popitem(last=False)

    def switch(self, key: str, tokens: Sequence[int] = ()) -> None:
        """Make ``key`` the live chat, saving the one it replaces.

        A saved state is restored only when it holds more of the coming prompt (``tokens``)
        than the live context does: the window and the API server alternating on the same
        conversation, or two chats sharing a long system prompt, reuse what is live.
        """
        if not key or key == self.active:
            return
        if self.active:
            try:
                # Sized first: copying a state of GBs only to drop it would stall this turn.
                if self._backend.state_size() <= self._budget():
                    self.keep(self.active, self._backend.save_state())
                else:
                    self.states.pop(self.active, None)
            except Exception:
                log.exception("could not save the model state")
        saved = self.states.pop(key, None)
        if saved is not None and tokens:
            live = self._backend.cached_prefix(tokens)
            if live >= common_prefix(saved.input_ids, tokens):
                log.debug("the live context holds %d of the prompt's tokens: no restore", live)
                saved = None
        if saved is not None:
            try:
                self._backend.load_state(saved)
            except Exception:
                log.exception("could not restore the model state")
        self.active = key
