"""Security tests: an isolated cache per test (rate-limit counters and cached pages
never leak between tests) and the drafting API's token and client."""

from tests.answers.conftest import isolated_cache  # noqa: F401  (autouse)
from tests.editorial.api.conftest import ApiClient, api, draft_payload, token  # noqa: F401
