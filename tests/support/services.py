"""The integration services a test run has, and whether it must have them.

A test marked `postgres`, `redis` or `browser` skips when its service is missing,
and fails instead under VETTED_REQUIRE_SERVICES=1 (CI); `tests/conftest.py` applies it.
"""

import os
import shutil

from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("VETTED_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def missing(item) -> str | None:
    """Why the test `item` cannot run here, or None."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Debian's chromium at {CHROMIUM}"
    return None
