"""Fixtures for the model tests: the fake Hub and a hung port, shared from tests/fakes."""

from tests.fakes.fake_hub import fake_hub, silent_port

__all__ = ["fake_hub", "silent_port"]
