"""Remote faults that no local server can stage (a DNS failure) map to sentences too; the rest
are staged for real in test_remote.py."""

from __future__ import annotations

import socket

import httpx

from desktop_chat.engine.remote_errors import status_error, transport_error


def test_a_dns_failure_names_the_host() -> None:
    error = httpx.ConnectError("[Errno -2] Name or service not known")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    mapped = transport_error(
        error, "http://gpu-box.lan:8000/v1/chat/completions", streaming=False, stall_s=60
    )
    assert mapped.kind == "dns"
    assert "“gpu-box.lan” could not be found" in str(mapped) and "Settings → Engines" in str(mapped)


def test_a_server_message_is_quoted_and_bounded() -> None:
    body = b'{"error": {"message": "' + b"x" * 5000 + b'"}}'
    mapped = status_error(503, body, model="m", retry_after=None)
    assert mapped.kind == "server" and "(503)" in str(mapped)
    assert len(str(mapped)) < 400


def test_a_429_without_retry_after_still_says_what_to_do() -> None:
    mapped = status_error(429, b"not json", model="m", retry_after=None)
    assert "Wait a little and try again" in str(mapped)
