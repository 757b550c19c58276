"""Fixtures for store tests: a fresh store in the test's app home."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_chat.store import Store, open_store


@pytest.fixture
def store() -> Iterator[Store]:
    opened, notice = open_store()
    assert notice is None
    yield opened
    opened.close()
