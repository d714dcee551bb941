"""Request bodies sent with `Transfer-Encoding: chunked` (no Content-Length) are read, within the limit.

Django reads a body only as far as CONTENT_LENGTH says; `config.request_guards.ChunkedBodyMiddleware`
(around the WSGI application, config/wsgi.py) reads a body the server has de-chunked
(`wsgi.input_terminated`, set by gunicorn) and hands it on with its length. Tested through the
WSGI application with a chunked environ, and through gunicorn itself.
"""

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

from config.wsgi import application
from editorial.models import DraftReceipt
from tests.support.workers import recreate_groups

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = "/api/v1/drafts/"


def _call(path: str, body: bytes, *, token: str | None = None, terminated: bool = True, **extra):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),  # a de-chunked body, as gunicorn hands it over
        **extra,
    }
    if terminated:
        environ["wsgi.input_terminated"] = True
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does: the test's transaction must survive the request's signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        content = b"".join(result)
        getattr(result, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], content, environ["wsgi.input"]


def test_a_chunked_draft_is_read_and_stored(token, specialty, draft_payload):
    status, _, content, _ = _call(DRAFTS, json.dumps(draft_payload()).encode(), token=token[1])
    assert status == 201, content
    assert DraftReceipt.objects.filter(external_id="medrafter-0001").exists()


def test_a_chunked_body_over_the_api_limit_is_a_413_read_no_further(token, specialty, settings):
    settings.API_MAX_BODY_BYTES = 4096
    status, headers, content, stream = _call(DRAFTS, b"x" * 100_000, token=token[1])
    assert status == 413
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(content) == {"detail": "The body is larger than 4096 bytes.", "errors": []}
    assert stream.tell() <= 4097
    assert not DraftReceipt.objects.exists()


def test_a_chunked_form_body_over_the_upload_limit_is_a_413(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, headers, content, _ = _call(
        "/personalize/", b"audience=student&next=/" + b"x" * 5000, CONTENT_TYPE="application/x-www-form-urlencoded"
    )
    assert status == 413
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert content == b"The body is larger than 1000 bytes."


def test_a_chunked_body_the_server_did_not_terminate_is_a_411(token, specialty, draft_payload):
    status, _, content, stream = _call(DRAFTS, json.dumps(draft_payload()).encode(), token=token[1], terminated=False)
    assert status == 411
    assert stream.tell() == 0
    assert not DraftReceipt.objects.exists()


def test_a_body_with_a_content_length_is_left_alone(token, specialty, draft_payload):
    body = json.dumps(draft_payload()).encode()
    # Not even a server that does not de-chunk matters: the length says how much to read.
    status, _, content, _ = _call(DRAFTS, body, token=token[1], terminated=False, CONTENT_LENGTH=str(len(body)))
    assert status == 201, content


# -- through gunicorn ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The test database as a URL for another process."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """gunicorn on a free port, over the test database (committed rows, so its process sees them)."""
    recreate_groups()  # an earlier transactional test's flush took the migration's groups
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    env.update(DATABASE_URL=_database_url(), HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1", LOG_FORMAT="json")
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + log.read_text())
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.postgres
def test_gunicorn_hands_a_chunked_draft_to_the_api(gunicorn, token, specialty, draft_payload):
    body = json.dumps(draft_payload(external_id="chunked-1")).encode()
    pieces = [body[i : i + 100] for i in range(0, len(body), 100)]  # sent as many chunks
    conn = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=30)
    conn.request(
        "POST",
        DRAFTS,
        body=iter(pieces),
        headers={"Authorization": f"Bearer {token[1]}", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    content = response.read()
    conn.close()
    assert response.status == 201, content
    assert json.loads(content)["status"] == "submitted"
    assert DraftReceipt.objects.filter(external_id="chunked-1").exists()
