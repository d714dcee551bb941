import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from config import health

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(autouse=True)
def forget_migration_check():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


def test_healthz_answers_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_answer_any_host_header(client):
    # Orchestrators probe the container by its address, not a public host name.
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_migrations_are_applied(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_readyz_fails_with_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = CLOSED_PORT
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["redis"]
    assert body["checks"]["redis"].startswith("error: ")
    assert body["checks"]["database"] == "ok"


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_pings_the_real_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_readyz_fails_naming_an_unapplied_migration(client, settings):
    settings.REDIS_URL = ""
    MigrationRecorder(connection).migration_qs.filter(app="axes", name="0010_accessattemptexpiration").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == "error: 1 unapplied (axes.0010_accessattemptexpiration)"


@pytest.mark.django_db
def test_readyz_computes_the_migration_plan_only_until_it_is_empty(client, settings, django_assert_num_queries):
    settings.REDIS_URL = ""
    assert client.get("/readyz").status_code == 200
    with django_assert_num_queries(1):  # SELECT 1, nothing more
        assert client.get("/readyz").status_code == 200


def test_readyz_fails_naming_the_database_when_it_is_unreachable(tmp_path):
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz'); print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://vetted@127.0.0.1:1/vetted",
        "DB_CONNECT_TIMEOUT": "2",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VETTED_ENV": "development",
        "LOG_LEVEL": "CRITICAL",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    status, body = done.stdout.strip().split("\n", 1)
    assert status == "503", done.stderr
    assert json.loads(body)["failed"] == ["database", "migrations"]


def test_probes_answer_head_for_balancers_that_use_it(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
