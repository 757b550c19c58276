"""Fixtures for the reliability suites: the fake Hub, shared from tests/fakes."""

from tests.fakes.fake_hub import fake_hub

__all__ = ["fake_hub"]
