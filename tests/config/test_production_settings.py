"""Production settings, each run in a fresh process with VETTED_ENV=production."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import DEV_SECRET_KEY
from editorial.audit.keys import DEV_AUDIT_SIGNING_KEY

ROOT = Path(__file__).resolve().parents[2]


def production(*args: str, **env: str) -> subprocess.CompletedProcess:
    ours = {"DEBUG", "SECRET_KEY", "AUDIT_SIGNING_KEY", "ALLOWED_HOSTS", "LOG_FORMAT"}
    base = {k: v for k, v in os.environ.items() if k not in ours}
    base.update(
        VETTED_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        AUDIT_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="vetted.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    base.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_no_warning():
    done = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_refuses_the_development_secret_key():
    done = production("manage.py", "check", SECRET_KEY=DEV_SECRET_KEY)
    assert done.returncode != 0
    assert "Production needs its own SECRET_KEY" in done.stderr


def test_production_refuses_a_short_secret_key():
    done = production("manage.py", "check", SECRET_KEY="short-but-not-the-dev-key")
    assert "Production needs its own SECRET_KEY" in done.stderr


def test_production_refuses_to_start_without_its_own_audit_signing_key():
    for missing in (production("manage.py", "check", AUDIT_SIGNING_KEY=DEV_AUDIT_SIGNING_KEY), _without_audit_key()):
        assert missing.returncode != 0
        assert "Production needs its own AUDIT_SIGNING_KEY" in missing.stderr


def _without_audit_key() -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_SIGNING_KEY"}
    env.update(VETTED_ENV="production", SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="vetted.example.org")
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_a_malformed_audit_signing_key_stops_start_up():
    done = production("manage.py", "check", AUDIT_SIGNING_KEY="not-a-key")
    assert done.returncode != 0
    assert "AUDIT_SIGNING_KEY is neither PEM nor base64" in done.stderr
    done = production("manage.py", "check", AUDIT_SIGNING_KEY=base64.b64encode(b"short").decode())
    assert "AUDIT_SIGNING_KEY must be 32 bytes" in done.stderr


def test_production_refuses_debug():
    done = production("manage.py", "check", DEBUG="1")
    assert done.returncode != 0
    assert "Production refuses to start with DEBUG on." in done.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    done = production("manage.py", "check", ALLOWED_HOSTS="")
    assert done.returncode != 0
    assert "Production needs ALLOWED_HOSTS." in done.stderr


RESPONSES = """
import django, json; django.setup()
from django.test import Client
c = Client()
def show(r):
    return {"status": r.status_code, "headers": dict(r.headers),
            "cookies": {k: {a: v[a] for a in ("secure", "httponly", "samesite")} for k, v in r.cookies.items()}}
print(json.dumps({
    "https_login": show(c.get("/admin/login/", secure=True, headers={"host": "vetted.example.org"})),
    "http_login": show(c.get("/admin/login/", headers={"host": "vetted.example.org"})),
    "http_probe": show(c.get("/healthz", headers={"host": "10.0.0.5:8000"})),
}))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> str:
    """Static files collected as the Docker image collects them."""
    root = tmp_path_factory.mktemp("static")
    collected = production("manage.py", "collectstatic", "--noinput", STATIC_ROOT=str(root))
    assert collected.returncode == 0, collected.stderr
    return str(root)


def test_production_responses_carry_the_security_headers_and_cookie_flags(static_root):
    done = production("-c", RESPONSES, LOG_LEVEL="CRITICAL", STATIC_ROOT=static_root)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    login = seen["https_login"]
    assert login["status"] == 200
    headers = login["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert login["cookies"]["csrftoken"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    # Plain HTTP is sent to HTTPS, except the probes from inside the network.
    assert seen["http_login"]["status"] == 301
    assert seen["http_login"]["headers"]["Location"] == "https://vetted.example.org/admin/login/"
    assert seen["http_probe"]["status"] == 200


def test_production_logs_are_json_by_default():
    done = production("-c", "import django, logging; django.setup(); logging.getLogger('vetted').warning('x')")
    assert json.loads(done.stderr.strip())["message"] == "x"


SERVE_STATIC = """
import django, json; django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("admin/css/base.css")
r = Client().get(url, headers={"host": "vetted.example.org"}, secure=True)
print(json.dumps({"url": url, "status": r.status_code, "cache": r.headers.get("Cache-Control", "")}))
"""


def test_collectstatic_runs_in_production_and_whitenoise_serves_hashed_files(static_root):
    assert (Path(static_root) / "staticfiles.json").exists()

    served = production("-c", SERVE_STATIC, STATIC_ROOT=static_root, LOG_LEVEL="CRITICAL")
    assert served.returncode == 0, served.stderr
    seen = json.loads(served.stdout)
    assert seen["url"].startswith("/static/admin/css/base.") and seen["url"] != "/static/admin/css/base.css"
    assert seen["status"] == 200
    assert "immutable" in seen["cache"]
