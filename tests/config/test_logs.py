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


# -- secrets and forged lines ----------------------------------------------------------


@pytest.fixture
def log_output(settings):
    """log_output(json=..., level=...) -> a function returning everything logged since, as text."""
    stream = io.StringIO()

    def _configure(*, json: bool, level: str = "DEBUG"):
        config = logging_config(json=json, level=level)
        config["handlers"]["console"]["stream"] = stream
        configure_logging(settings.LOGGING_CONFIG, config)
        return stream.getvalue

    yield _configure
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.fixture
def raw_token(drafter):
    from editorial.models import ApiToken

    return ApiToken.issue(user=drafter, name="medrafter host")[1]


@pytest.mark.parametrize("json_format", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("scheme", ["Basic", "Bearer", "bearer"])
def test_with_debug_on_no_api_token_reaches_the_log(client, settings, log_output, raw_token, json_format, scheme):
    settings.DEBUG = True  # django-ninja logs an unexpected Authorization header whole under DEBUG
    output = log_output(json=json_format)
    for value in (f"{scheme} {raw_token}", f"{scheme} {raw_token[:-1]}x", f"Token {raw_token}"):
        client.get("/api/v1/answers/", HTTP_AUTHORIZATION=value)
    logging.getLogger("vetted.test").debug("retrying with Authorization: %s %s", scheme, raw_token)
    logged = output()
    assert "Unexpected auth" in logged or scheme != "Basic"
    assert raw_token[3:15] not in logged
    assert "[redacted]" in logged


@pytest.mark.parametrize("json_format", [False, True], ids=["text", "json"])
def test_cookies_credentials_and_passwords_are_redacted_in_messages_fields_and_tracebacks(log_output, json_format):
    output = log_output(json=json_format)
    log = logging.getLogger("vetted.test")
    headers = {"HTTP_COOKIE": "sessionid=s3ss10nvalue; csrftoken=csrfv4lue", "HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}
    log.warning("request headers %s", headers, extra={"headers": headers})
    log.info("Cookie: sessionid=s3ss10nvalue; csrftoken=csrfv4lue")
    log.info("connecting to postgres://vetted:dbp4ssword@db:5432/vetted and redis://:r3disp4ss@cache:6379/0")
    log.info("form %s", "<QueryDict: {'password': ['hunter2hunter2'], 'username': ['maya']}>")
    try:
        raise ValueError("token rejected: vt_abcdefghijklmnopqrstuvwxyz")
    except ValueError:
        log.exception("delivery failed")
    logged = output()
    secrets = ["s3ss10nvalue", "csrfv4lue", "dXNlcjpwYXNz", "dbp4ssword", "r3disp4ss", "hunter2hunter2", "abcdefghijk"]
    assert [secret for secret in secrets if secret in logged] == []
    assert "maya" in logged and "delivery failed" in logged and "ValueError" in logged


def test_sql_with_its_parameters_is_not_logged_even_at_debug(settings, log_output, drafter):
    from editorial.models import ApiToken

    settings.DEBUG = True  # Django logs every statement with its parameters under DEBUG
    output = log_output(json=False, level="DEBUG")
    token, _ = ApiToken.issue(user=drafter, name="medrafter host")
    assert token.webhook_secret not in output()


FORGED = "2026-01-01 00:00:00,000 WARNING vetted.access [forged admin] GET /admin/ 200"


def test_a_newline_in_a_url_cannot_forge_a_text_log_line(client, db, log_output):
    output = log_output(json=False, level="INFO")
    client.get("/answers/x%0a" + FORGED.replace(" ", "%20") + "%0d%1b[31m/")
    lines = output().splitlines()
    assert not [line for line in lines if line.startswith(FORGED[:23])]
    [access] = [line for line in lines if line.split(" ", 4)[3] == "vetted.access"]
    assert "/answers/x\\n2026-01-01 00:00:00,000 WARNING" in access and "\\r\\x1b[31m" in access


def test_a_traceback_stays_under_its_record_in_text_logs(log_output):
    output = log_output(json=False, level="INFO")
    try:
        raise ValueError("bad input\n" + FORGED)
    except ValueError:
        logging.getLogger("vetted.test").exception("failed on\n%s", FORGED)
    first, *rest = output().splitlines()
    assert " ERROR vetted.test " in first and "failed on\\n2026-01-01" in first
    assert rest and all(line.startswith("    ") for line in rest)
    assert "Traceback" in rest[0]


def test_json_lines_stay_one_object_a_line(client, db, log_output):
    output = log_output(json=True, level="INFO")
    client.get("/answers/x%0a" + FORGED.replace(" ", "%20") + "/")
    lines = [json.loads(line) for line in output().splitlines()]
    [access] = [line for line in lines if line["logger"] == "vetted.access"]
    assert access["path"] == "/answers/x\n" + FORGED + "/"


def test_a_workers_own_text_handlers_redact_too():
    from celery import signals

    import config.celery  # noqa: F401  (connects the signal)

    stream = io.StringIO()
    worker_log = logging.getLogger("vetted.tests.worker")
    handler = logging.StreamHandler(stream)
    worker_log.addHandler(handler)
    try:
        signals.after_setup_logger.send(sender=None, logger=worker_log, loglevel=logging.INFO, logfile=None)
        worker_log.warning("webhook to https://drafter:pw123456@drafter.example/h with Bearer vt_abcdefghijklmnop")
    finally:
        worker_log.removeHandler(handler)
    assert "pw123456" not in stream.getvalue() and "abcdefghijklmnop" not in stream.getvalue()
    assert "[redacted]" in stream.getvalue()


def test_the_caches_ignored_errors_are_logged_once_a_minute_with_a_count():
    """With Redis down, django-redis logs each ignored error with its traceback: one per request.
    The `vetted.cache` logger passes one a minute and counts the rest."""
    from config.logs import OncePerInterval

    now = [1000.0]
    limit = OncePerInterval(seconds=60, clock=lambda: now[0])
    records = [logging.LogRecord("vetted.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None)]
    records += [
        logging.LogRecord("vetted.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None)
        for _ in range(499)
    ]
    passed = [r for r in records if limit.filter(r)]
    assert len(passed) == 1 and passed[0].getMessage() == "Exception ignored"
    other = logging.LogRecord("vetted.cache", logging.ERROR, __file__, 1, "Another failure", None, None)
    assert limit.filter(other)  # each message has its own minute
    now[0] += 61
    later = logging.LogRecord("vetted.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None)
    assert limit.filter(later)
    assert later.getMessage() == "Exception ignored (499 more like it in the last 60 s)"


def test_the_settings_put_the_limit_on_the_cache_logger():
    from django.conf import settings

    assert settings.LOGGING["loggers"]["vetted.cache"]["filters"] == ["once_a_minute"]
    assert settings.DJANGO_REDIS_LOGGER == "vetted.cache"
    cache_logger = logging.getLogger("vetted.cache")
    assert any(type(f).__name__ == "OncePerInterval" for f in cache_logger.filters)
