"""Where a conversation's turns go: the local engine, or the remote model its record names
(``remote:<endpoint>/<model>``); text leaves the machine only for those."""

from __future__ import annotations

from collections.abc import Callable

from desktop_chat.engine import endpoints
from desktop_chat.engine.client import EngineClient
from desktop_chat.engine.remote import RemoteEngine, RemoteTarget, is_remote_request
from desktop_chat.engine.types import ChatRequest
from desktop_chat.store import Store, StoreError


class TurnEngines:
    """The local engine and the remote one side by side; both emit the same events."""

    def __init__(
        self, client: EngineClient, remote: RemoteEngine, store: Callable[[], Store]
    ) -> None:
        self.client = client
        self.remote = remote
        self._store = store  # a getter: the chat is given a new store after "Delete all"

    @property
    def both(self) -> tuple[EngineClient, RemoteEngine]:
        return self.client, self.remote

    def target(
        self, conversation_id: int | None, choice: RemoteTarget | None
    ) -> RemoteTarget | None:
        """The remote model a conversation talks to (None: the local one); a new chat (None)
        gets ``choice``."""
        if conversation_id is None:
            return choice
        try:
            model = self._store().get_conversation(conversation_id).model
        except StoreError:
            return None
        parsed = endpoints.parse_remote_id(model)
        return RemoteTarget(*parsed) if parsed else None

    def model_record(self, target: RemoteTarget | None) -> str | None:
        """What a conversation and its answers record as their model."""
        if target is not None:
            return endpoints.remote_id(target.endpoint, target.model)
        return self.client.model.name if self.client.model else None

    def settings_key(self, target: RemoteTarget | None) -> str | None:
        """The key of the per-model settings that apply to a turn of ``target``."""
        if target is not None:
            return endpoints.remote_id(target.endpoint, target.model)
        return self.client.model.path.name if self.client.model else None

    def generate(self, target: RemoteTarget | None, request: ChatRequest) -> int:
        if target is not None:
            return self.remote.generate(target, request)
        return self.client.generate(request)

    def engine_of(self, request_id: int) -> EngineClient | RemoteEngine:
        return self.remote if is_remote_request(request_id) else self.client
