"""The files a deployment runs: Procfile, compose.yaml, gunicorn's config, docs."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_procfile_runs_web_worker_beat_and_migrates_on_release():
    processes = procfile()
    assert set(processes) == {"release", "web", "worker", "beat"}
    assert processes["web"] == "gunicorn -c config/gunicorn.conf.py config.wsgi"
    assert processes["release"] == "python manage.py migrate --noinput"


def test_compose_runs_the_app_processes_over_one_postgresql_and_one_redis():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["VETTED_ENV"] == "production"
        assert env["DATABASE_URL"].endswith("@db:5432/vetted")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["AUDIT_SIGNING_KEY"].startswith("${AUDIT_SIGNING_KEY:?")  # required, from outside the database
        assert services[name]["build"] == "."
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["web"]["command"] == procfile()["web"].split()
    assert services["beat"]["deploy"]["replicas"] == 1


def test_the_dockerfile_starts_the_web_process_with_the_gunicorn_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]' in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "USER vetted" in dockerfile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_health_probe_with_its_config(tmp_path):
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_FORMAT": "json"}
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    assert response.read() == b'{"status": "ok"}'
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not answer: " + (tmp_path / "gunicorn.log").read_text())
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert '"message": "Booting worker with pid' in (tmp_path / "gunicorn.log").read_text()


def test_the_committed_state_machine_document_matches_the_code(capsys):
    call_command("state_machine_docs")
    written = capsys.readouterr().out
    committed = (ROOT / "docs" / "state-machine.md").read_text()
    assert written == committed, "run `make docs` and commit the result"
    # it is drawn from the code: the re-draft rules are in it
    assert "under_review --> approved: reject" in written
    assert "changes_requested --> retracted: retract" in written
    assert (
        "| `withdraw` | submitted, under review, awaiting second review, under second review, changes requested"
        " | withdrawn | `retract` |"
    ) in written
    assert "under_review --> awaiting_second_review: first_approve" in written


def test_the_committed_state_machine_drawing_matches_the_code(capsys):
    call_command("graph_transitions", "answers.Answer.status")
    drawn = capsys.readouterr().out
    committed = (ROOT / "docs" / "state-machine.dot").read_text()
    # graph_transitions writes nodes in no fixed order: compare the lines.
    assert sorted(drawn.split("\n")) == sorted(committed.split("\n")), "run `make docs` and commit the result"
