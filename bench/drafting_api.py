"""Benchmark: drafts ingested per second through the API, and the import rate of import_drafts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetted python bench/drafting_api.py

1. creates a throwaway database (bench_<name>) and migrates it;
2. serves the project with gunicorn (4 sync workers) on a free local port;
3. POSTs new drafts over HTTP with 1 client, then with 4 concurrent clients,
   each on a keep-alive connection, and prints drafts/s;
4. writes 10,000 drafts to a JSONL file and times `manage.py import_drafts`;
5. drops the database.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("REDIS_URL", None)  # Celery runs eagerly: notification work is part of the measured cost
os.environ.setdefault("LOG_LEVEL", "WARNING")  # one log line per eager task would swamp the figures

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from answers.models import Specialty  # noqa: E402
from editorial.access import roles  # noqa: E402
from editorial.models import ApiToken  # noqa: E402


def draft(run: str, i: int) -> dict:
    return {
        "external_id": f"{run}-{i}",
        "question": f"Benchmark question {run} number {i}: what is the first-line treatment?",
        "specialty": "hematology-oncology",
        "sections": [
            {"heading": "From the Guidelines", "body": "Oral iron is first line [1]. " * 20},
            {"heading": "Key Findings", "body": "- Intravenous iron when oral iron fails [2].\n" * 10},
            {"heading": "Bottom line", "body": "Start oral iron [1, 2]."},
        ],
        "citations": [
            {"number": 1, "title": "Guideline on iron deficiency", "journal": "Blood", "year": 2021, "pmid": "1234567"},
            {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
        ],
        "model": {"name": "bench", "version": "1"},
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def client_run(port: int, token: str, bodies: list[bytes], failures: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in bodies:
        conn.request("POST", "/api/v1/drafts/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            failures.append(response.status)
    conn.close()


def api_rate(port: int, token: str, *, clients: int, per_client: int, run: str) -> float:
    batches = [[json.dumps(draft(f"{run}-c{c}", i)).encode() for i in range(per_client)] for c in range(clients)]
    failures: list = []
    threads = [threading.Thread(target=client_run, args=(port, token, b, failures)) for b in batches]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {sorted(set(failures))}")
    return clients * per_client / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-drafts", type=int, default=400, help="drafts per API run (default 400)")
    parser.add_argument("--import-drafts", type=int, default=10_000, help="drafts to import (default 10000)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("Run it on PostgreSQL: DATABASE_URL=postgres://... python bench/drafting_api.py")
    original = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_{original}"
    bench_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        s = connection.settings_dict
        database_url = (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{bench_name}"
        )
        Specialty.objects.create(name="Hematology/Oncology", slug="hematology-oncology")
        user = User.objects.create_user("bench-drafter")
        user.groups.add(Group.objects.get(name=roles.DRAFTING))
        _, token = ApiToken.issue(user=user, name="bench")

        print(f"PostgreSQL {connection.pg_version // 10000}, database {bench_name}, gunicorn {args.workers} workers")
        server, port = start_server(database_url, args.workers)
        try:
            api_rate(port, token, clients=1, per_client=20, run="warmup")
            one = api_rate(port, token, clients=1, per_client=args.api_drafts, run="one")
            print(f"API, 1 client:   {one:8.1f} drafts/s ({args.api_drafts} drafts)")
            four = api_rate(port, token, clients=4, per_client=args.api_drafts // 4, run="four")
            print(f"API, 4 clients:  {four:8.1f} drafts/s ({args.api_drafts} drafts)")
        finally:
            server.terminate()
            server.wait()

        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as stream:
            for i in range(args.import_drafts):
                stream.write(json.dumps(draft("import", i)) + "\n")
        start = time.perf_counter()
        call_command("import_drafts", stream.name, user=user.username, no_progress=True, stdout=open(os.devnull, "w"))
        elapsed = time.perf_counter() - start
        rate = args.import_drafts / elapsed
        print(f"import_drafts:   {rate:8.1f} drafts/s ({args.import_drafts} drafts in {elapsed:.1f} s)")
        start = time.perf_counter()
        call_command("import_drafts", stream.name, user=user.username, no_progress=True, stdout=open(os.devnull, "w"))
        print(f"import_drafts rerun (all present): {time.perf_counter() - start:.1f} s")
        os.unlink(stream.name)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
