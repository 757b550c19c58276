"""The safe-bind rule and the base URL clients are given."""

from __future__ import annotations

import pytest

from desktop_chat import settings as settings_mod
from desktop_chat.server.config import (
    ServerConfig,
    ServerConfigError,
    base_url,
    check_bind,
    is_loopback,
    new_api_key,
)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_need_no_key(host: str) -> None:
    assert is_loopback(host)
    check_bind(ServerConfig(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "my-laptop.local"])
def test_any_other_host_needs_a_key(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ServerConfigError, match="API key"):
        check_bind(ServerConfig(host=host))
    check_bind(ServerConfig(host=host, api_key=new_api_key()))


def test_base_urls() -> None:
    assert base_url("127.0.0.1", 8080) == "http://127.0.0.1:8080/v1"
    assert base_url("0.0.0.0", 1337) == "http://127.0.0.1:1337/v1"
    assert base_url("::", 9) == "http://[::1]:9/v1"
    assert base_url("::1", 9) == "http://[::1]:9/v1"


def test_from_settings_reads_the_server_section() -> None:
    settings = settings_mod.with_value(settings_mod.Settings(), "server.max_body_kb", 2)
    settings = settings_mod.with_value(settings, "server.api_key", "  k  ")
    config = ServerConfig.from_settings(settings)
    assert config.max_body_bytes == 2048 and config.api_key == "k"
    assert config.host == "127.0.0.1" and not config.public


def test_new_keys_differ() -> None:
    assert new_api_key() != new_api_key()
