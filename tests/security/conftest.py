"""Security tests: an isolated cache per test (rate-limit counters and cached pages
never leak between tests)."""

from tests.answers.conftest import isolated_cache  # noqa: F401  (autouse)
