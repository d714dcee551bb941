"""Security tests: an isolated cache per test."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(isolated_cache):
    """Rate-limit counters and cached pages of one payload's test never reach another's."""
