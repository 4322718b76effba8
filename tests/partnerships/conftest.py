"""Fixtures of the partnerships tests (factories: factories.py, form helpers: helpers.py)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limit counts in the cache, which outlives a test: start each test afresh."""
    cache.clear()
    yield
    cache.clear()
