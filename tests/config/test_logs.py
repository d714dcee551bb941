import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils.log import configure_logging

from config.logs import logging_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines(settings):
    """Every log line of the process, formatted as production formats it."""
    stream = io.StringIO()
    config = logging_config(json=True)
    config["handlers"]["console"]["stream"] = stream
    configure_logging(settings.LOGGING_CONFIG, config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_each_request_writes_one_json_access_line_with_request_id_and_user(client, board_member, json_lines):
    client.force_login(board_member)
    response = client.get("/admin/", HTTP_X_REQUEST_ID="probe-42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "probe-42"
    [line] = [line for line in json_lines() if line["logger"] == "vetted.access"]
    assert line["request_id"] == "probe-42"
    assert line["user"] == "maya"
    assert line["method"] == "GET"
    assert line["path"] == "/admin/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_an_anonymous_request_logs_no_user(client, db, json_lines):
    client.get("/admin/login/")
    [line] = [line for line in json_lines() if line["logger"] == "vetted.access"]
    assert line["user"] is None
    assert len(line["request_id"]) == 32


@pytest.mark.parametrize("sent", ["a b", "x" * 129, "line\nbreak", ""])
def test_a_malformed_incoming_request_id_is_replaced(client, db, sent):
    response = client.get("/admin/login/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_lines_logged_while_handling_a_request_carry_its_id(client, db, settings, json_lines):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.MonkeyPatch.context() as patch:
        # The probes skip the access log; route one through the request id middleware.
        patch.setattr("config.health.PROBES", {})
        response = client.get("/readyz", HTTP_X_REQUEST_ID="ready-1")
    assert response.status_code == 503
    lines = [line for line in json_lines() if line.get("request_id") == "ready-1"]
    loggers = {line["logger"] for line in lines}
    assert loggers == {"config.health", "vetted.access"}  # not django.request's error too
    assert next(line for line in lines if line["logger"] == "config.health")["check"] == "redis"


def test_a_log_line_outside_a_request_has_no_request_id(json_lines):
    logging.getLogger("vetted.test").warning("nothing to see")
    [line] = json_lines()
    assert line == {
        "level": "WARNING",
        "logger": "vetted.test",
        "message": "nothing to see",
        "request_id": None,
        "user": None,
        "time": line["time"],
    }


def test_log_format_json_turns_django_logs_into_json_lines():
    script = "import django, logging; django.setup(); logging.getLogger('vetted').info('hello %s', 'json')"
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [line] = [json.loads(text) for text in done.stderr.splitlines()]
    assert line["message"] == "hello json"
    assert line["logger"] == "vetted"


def test_an_unknown_log_format_is_refused():
    env = {**os.environ, "LOG_FORMAT": "xml", "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "LOG_FORMAT='xml'" in done.stderr


@pytest.mark.redis
def test_a_task_queued_during_a_request_logs_with_that_request_id():
    from celery.contrib.testing.worker import start_worker
    from pythonjsonlogger.json import JsonFormatter

    from config.celery import app
    from config.logs import JSON_FORMAT, RequestContextFilter
    from config.request_id import current_request

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(JSON_FORMAT))
    handler.addFilter(RequestContextFilter())
    task_log = logging.getLogger("vetted.tasks.test")
    task_log.addHandler(handler)
    seen = threading.Event()

    @app.task(name="tests.config.log_something")
    def log_something():
        task_log.warning("task ran")
        seen.set()

    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
            token = current_request.set(SimpleNamespace(id="req-7", user=None))
            try:
                log_something.delay()
            finally:
                current_request.reset(token)
            assert seen.wait(timeout=20)
    finally:
        task_log.removeHandler(handler)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["message"] == "task ran"
    assert line["request_id"] == "req-7"
