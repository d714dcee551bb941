"""DEBUG is opt-in: with nothing set (no VETTED_ENV, no DEBUG) the site shows no debug page."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json; django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/")
print(json.dumps({"debug": settings.DEBUG, "status": response.status_code, "body": response.content.decode()}))
"""


def _probe(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "VETTED_ENV"}}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_debug_is_off_when_nothing_is_set():
    seen = _probe()
    assert seen["debug"] is False
    assert seen["status"] == 404
    assert "URLconf" not in seen["body"] and "DATABASE" not in seen["body"]


def test_debug_is_on_only_when_asked_for():
    assert _probe(DEBUG="1")["debug"] is True
    assert _probe(VETTED_ENV="development")["debug"] is False


def test_make_run_asks_for_debug_for_the_local_server():
    done = subprocess.run(["make", "-n", "-o", ".venv/bin/.installed", "run"], cwd=ROOT, capture_output=True, text=True)
    assert "DEBUG=1 " in done.stdout and "runserver 127.0.0.1:8000" in done.stdout
