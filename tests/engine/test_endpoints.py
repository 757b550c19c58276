"""The endpoints store: its JSON file (atomic, damage moved aside), URLs, and where keys go."""

from __future__ import annotations

import json
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop_chat.engine import endpoints
from desktop_chat.engine.endpoints import Endpoint, EndpointError, KeyStorage, Preset


class MemoryKeyring(KeyringBackend):
    """A working system keyring as far as the app can tell, kept in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_urls_are_normalised_and_bad_ones_refused() -> None:
    assert endpoints.normalize_url("127.0.0.1:8080") == "http://127.0.0.1:8080/v1"
    assert endpoints.normalize_url("https://api.example.com/openai/v1/") == (
        "https://api.example.com/openai/v1"
    )
    for bad in ("", "ftp://x/v1", "http://"):
        with pytest.raises(EndpointError):
            endpoints.normalize_url(bad)
    with pytest.raises(EndpointError):
        endpoints.check_name("a/b")


def test_add_replace_remove_and_a_damaged_file() -> None:
    endpoints.add(Endpoint("Lab", "http://h:8080", Preset.LLAMA_SERVER, 8192, 30))
    with pytest.raises(EndpointError, match="exists already"):
        endpoints.add(Endpoint("lab", "http://other"))
    endpoints.add(Endpoint("lab", "http://other"), replace_existing=True)
    [saved] = endpoints.load()
    assert saved.base_url == "http://other/v1" and saved.preset == Preset.CLOUD
    assert endpoints.remove("LAB") and endpoints.load() == []
    endpoints.endpoints_file().write_text("[[[[" * 100, encoding="utf-8")
    assert endpoints.load() == []  # moved aside, never fatal
    assert not endpoints.endpoints_file().exists()


def test_a_working_keyring_keeps_the_key_out_of_the_file(memory_keyring: MemoryKeyring) -> None:
    endpoints.add(Endpoint("cloud", "https://api.example.com/v1"))
    assert endpoints.keyring_available()
    assert endpoints.set_key("cloud", "sk-123", KeyStorage.KEYRING) == "keyring"
    assert memory_keyring.items == {("desktop-chat", "cloud"): "sk-123"}
    assert "sk-123" not in endpoints.endpoints_file().read_text()
    assert endpoints.get_key("cloud") == "sk-123"
    # Session only, by choice: never in the keyring.
    assert endpoints.set_key("cloud", "sk-456", KeyStorage.SESSION) == "session"
    assert endpoints.get_key("cloud") == "sk-456"
    endpoints.remove("cloud")
    assert endpoints.get_key("cloud") == "" and memory_keyring.items == {}


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """What a headless machine has: keyring's fail backend."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_keys_live_for_the_session_only(no_keyring: None) -> None:
    assert not endpoints.keyring_available()
    assert endpoints.set_key("x", "k", KeyStorage.KEYRING) == "session"
    assert endpoints.get_key("x") == "k"
    assert json.dumps(endpoints.load()) == "[]"
