"""Load and soak: the reader pages and the drafting API under gunicorn, on the reports' data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetted .venv/bin/python bench/load.py load [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetted .venv/bin/python bench/load.py soak [--minutes 10]

Both work in their own database, `<name>_load` beside DATABASE_URL's (or --database):
migrate, `load_demo` (demo users, the seed answer), then `generate_report_data
--answers N` (default 100,000 answers, ~1,000,000 audit events, about 2-4
minutes). With --reuse an existing, filled `<name>_load` is used as it is;
the database is kept afterwards for the next --reuse (drop it by hand).

gunicorn runs with config/gunicorn.conf.py and bench.settings (the project plus
one bare view). With REDIS_URL set, the cache is Redis and a Celery worker
(solo pool) consumes the queued tasks, as in production; without it Celery
runs eagerly inside the requests. The HTTP client is Debian's `wrk` with
bench/load.lua.

load: for each scenario (a bare Django view, the seed answer page, the list
page with a search, the API submit with a new draft each request) --rounds
interleaved runs of --seconds; prints the median run's requests/s, p50 and
p99 latency, the errors of all runs (non-2xx and socket errors), and the
answer page's throughput as a ratio to the bare view.

soak: first --warmup-seconds of unpaced reading and API submissions (not
measured: a fresh worker's memory climbs for its first few thousand requests), then for
--minutes, readers at a steady rate (wrk, each connection pausing
--pace-ms between requests) on the answer page and the list page (with and
without a search) while a reviewer process submits drafts through the API and
takes each through review with the services (start review, a verdict per
citation, approve), then reads the published page. Counts the audit events
before and after against the actions taken, runs verify_audit, and samples
the RSS of each gunicorn worker every --sample-seconds (worker recycling is
off during the soak, so a leak would show).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._gunicorn import BIN, PYTHON, ROOT, children, cores, free_port, rss_kib, seed_path, start, stop  # noqa: E402

LUA = Path(__file__).resolve().parent / "load.lua"
BARE_VIEW = "/bench/constant/"


# -- pure helpers (tested in tests/bench/test_load.py) ------------------------------


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    first_bad_status: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


def parse_wrk(output: str) -> WrkResult:
    """Read the `WRKJSON {...}` line that bench/load.lua's done() prints."""
    match = re.search(r"^WRKJSON (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"no WRKJSON line in wrk's output:\n{output}")
    data = json.loads(match.group(1))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non2xx=data["non2xx"],
        first_bad_status=data["first_bad_status"],
        socket_errors=sum(data[kind] for kind in ("connect", "read", "write", "timeout")),
    )


def median_run(runs: list[WrkResult]) -> WrkResult:
    """The run with the median throughput (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda run: run.rps)
    return ordered[(len(ordered) - 1) // 2]


def memory_summary(samples: dict[int, list[int]]) -> dict[int, tuple[int, int, int]]:
    """(first, last, max) RSS per process from its samples, skipping processes never sampled."""
    return {pid: (values[0], values[-1], max(values)) for pid, values in samples.items() if values}


def per_minute(trace: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The first sample, then the first sample at or after each whole minute."""
    picked, next_minute = [], 0.0
    for seconds, value in trace:
        if seconds >= next_minute:
            picked.append((seconds, value))
            next_minute = (seconds // 60 + 1) * 60
    return picked


def reading_paths(pages: list[str], *, search: str, every: int = 5) -> list[str]:
    """What a soak reader walks through: the answer pages, with the list and then a search after every `every`."""
    paths, extras = [], ["/answers/", search]
    for i, page in enumerate(pages, start=1):
        paths.append(page)
        if i % every == 0:
            paths.append(extras[(i // every - 1) % 2])
    return paths


def load_database_url(database_url: str, name: str | None = None) -> str:
    """DATABASE_URL with its database replaced by `name` (default `<its name>_load`)."""
    parts = urlsplit(database_url)
    base = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/" + (name or f"{base}_load")))


# -- the database -----------------------------------------------------------------


def _manage(env: dict, *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _filled(url: str) -> int | None:
    """Answers in the database at `url` if it exists with the demo seed answer, else None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            seeded = conn.execute(
                "SELECT 1 FROM answers_revision WHERE external_id = 'demo-seed-inotuzumab'"
            ).fetchone()
            return conn.execute("SELECT count(*) FROM answers_answer").fetchone()[0] if seeded else None
    except psycopg.Error:
        return None


def prepare(args) -> dict:
    """The environment for gunicorn and manage.py, on a filled `<name>_load` database."""
    import psycopg

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetted bench/load.py ...")
    if shutil.which("wrk") is None:
        raise SystemExit("Needs wrk (Debian: apt-get install wrk); the load and soak use it as their HTTP client.")
    url = load_database_url(database_url, args.database)
    name = urlsplit(url).path.lstrip("/")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    if url == database_url:
        raise SystemExit(f"--database {name} is DATABASE_URL's own database; the benchmark needs a separate one.")
    answers = _filled(url) if args.reuse else None
    if answers is not None:
        print(f"reusing database {name} ({answers} answers)")
        _manage(env, "migrate", "--noinput")  # a migration may have landed since it was built
    else:
        print(f"building database {name}: migrate, load_demo, generate_report_data --answers {args.answers}")
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_demo")
        _manage(env, "generate_report_data", "--answers", str(args.answers), quiet=False)
    return env


def _django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def _api_token(run: str) -> str:
    from django.contrib.auth import get_user_model

    from editorial.models import ApiToken

    _, raw = ApiToken.issue(user=get_user_model().objects.get(username="drafter"), name=f"load benchmark {run}")
    return raw


def _public_pages(count: int) -> list[str]:
    """Pages of `count` published answers spread over the data set (not the seed)."""
    from answers.models import Answer

    ids = list(Answer.objects.public().order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // max(count, 1))
    return [answer.get_absolute_url() for answer in Answer.objects.filter(id__in=ids[::step][:count])]


def _audit_events() -> int:
    from editorial.models import AuditEvent

    return AuditEvent.objects.count()


def _settled_audit_events(quiet_seconds: float = 2.0, timeout: float = 60.0) -> int:
    """The audit event count once it has stopped moving: requests wrk left in flight
    (a submission a worker was still writing when wrk stopped) land before the count."""
    count, deadline = _audit_events(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        latest = _audit_events()
        if latest == count:
            return count
        count = latest
    raise SystemExit("the audit trail kept growing after the warm-up stopped")


# -- processes --------------------------------------------------------------------


class Stack:
    """gunicorn (and, with REDIS_URL, one Celery worker) for the duration of a `with`."""

    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path = env, log_path
        self.port = free_port()

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.worker = None
        if self.env.get("REDIS_URL"):
            self.worker = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
                cwd=ROOT,
                env=self.env,
                stdout=self.log,
                stderr=self.log,
            )
        self.server = start(self.env, self.port, log=self.log)
        return self

    def __exit__(self, *exc):
        stop(self.server)
        if self.worker is not None:
            stop(self.worker)
        self.log.close()

    def logged_errors(self) -> list[str]:
        """Lines of the server's and worker's log that report an error."""
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if re.search(r"Traceback|\bERROR\b|\bCRITICAL\b|\"error\"", line)]


def wrk_command(port: int, script_args: list[str], *, seconds: int, connections: int, threads: int = 2) -> list[str]:
    return [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        *script_args,
    ]


def drain(port: int) -> None:
    """Wait until gunicorn has served what wrk left queued (the next request waits behind it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    conn.close()


def wrk(port: int, script_args: list[str], *, seconds: int, connections: int) -> WrkResult:
    """One wrk run, after the previous run's queued requests are served, so runs do not overlap."""
    drain(port)
    out = subprocess.run(
        wrk_command(port, script_args, seconds=seconds, connections=connections),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(out)


def _describe(env: dict, args) -> str:
    workers = env.get("WEB_CONCURRENCY") or f"{cores() * 2 + 1} (2 per core + 1)"
    return (
        f"{cores()} cores; gunicorn sync workers: {workers}; "
        f"Celery: {'Redis + 1 worker' if env.get('REDIS_URL') else 'eager (no REDIS_URL)'}; "
        f"wrk 2 threads, {args.connections} connections"
    )


# -- load -------------------------------------------------------------------------


def run_load(args) -> int:
    env = prepare(args)
    _django(env)
    run = uuid.uuid4().hex[:8]
    token = _api_token(run)
    seed = seed_path(env)
    scenarios = {
        "bare view": ["get", BARE_VIEW],
        "answer page": ["get", seed],
        f"list, q={args.query}": ["get", f"/answers/?q={quote_plus(args.query)}"],
        "API submit": ["submit", run, token],
    }
    results: dict[str, list[WrkResult]] = {name: [] for name in scenarios}
    log_path = Path(f"/tmp/vetted-load-{run}.log")
    print(_describe(env, args) + f"; median of {args.rounds} interleaved {args.seconds}s runs per scenario")
    with Stack(env, log_path) as stack:
        for script in scenarios.values():  # warm-up: imports, connections, caches
            warm = script if script[0] == "get" else ["submit", f"{run}-warm", token]
            wrk(stack.port, warm, seconds=2, connections=args.connections)
        for round_ in range(args.rounds):
            for name, script in scenarios.items():
                if script[0] == "submit":
                    script = ["submit", f"{run}-r{round_}", token]
                results[name].append(wrk(stack.port, script, seconds=args.seconds, connections=args.connections))
        logged = stack.logged_errors()

    print(f"{'scenario':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    errors = 0
    for name, runs in results.items():
        mid = median_run(runs)
        failed = sum(run.errors for run in runs)
        errors += failed
        first = [run.first_bad_status for run in runs if run.first_bad_status]
        note = f"  (first bad status {first[0]})" if first else ""
        print(f"{name:<28} {mid.rps:8.1f} {mid.p50_ms:8.2f} {mid.p99_ms:8.2f} {mid.max_ms:8.1f} {failed:7d}{note}")
    ratio = median_run(results["answer page"]).rps / median_run(results["bare view"]).rps
    submitted = sum(run.requests for run in results["API submit"])
    print(f"answer page / bare view throughput: {ratio:.2f}")
    print(f"requests in all measured runs: {sum(r.requests for runs in results.values() for r in runs)}")
    print(f"drafts submitted in the measured runs: {submitted}")
    print(f"errors: {errors} in responses, {len(logged)} logged by gunicorn/Celery (log: {log_path})")
    for line in logged[:5]:
        print("   ", line[:300])
    return 1 if errors or logged else 0


# -- soak -------------------------------------------------------------------------


def run_soak(args) -> int:
    env = {**prepare(args), "GUNICORN_MAX_REQUESTS": "0"}
    _django(env)
    run = uuid.uuid4().hex[:8]
    token = _api_token(run)
    seconds = int(args.minutes * 60)
    paths = reading_paths(
        [seed_path(env), *_public_pages(args.pages - 1)], search=f"/answers/?q={quote_plus(args.query)}"
    )
    log_path = Path(f"/tmp/vetted-soak-{run}.log")
    print(
        _describe(env, args) + f", each pausing {args.pace_ms} ms between requests "
        f"over {len(paths)} URLs ({args.pages} answer pages, the list, a search); "
        f"{args.minutes:g} minutes; worker recycling off"
    )
    samples: dict[int, list[int]] = {}
    trace: list[tuple[float, float]] = []  # (seconds, mean worker RSS) per sampling round
    with Stack(env, log_path) as stack:
        warm_reads, warm_submits = warm_up(stack.port, paths, token, run, args)
        before = _settled_audit_events()
        reader = subprocess.Popen(
            wrk_command(stack.port, ["get", *paths], seconds=seconds, connections=args.connections),
            env={**os.environ, "WRK_PACE_MS": str(args.pace_ms)},
            stdout=subprocess.PIPE,
            text=True,
        )
        reviewer = subprocess.Popen(
            [
                PYTHON,
                __file__,
                "_review",
                "--port",
                str(stack.port),
                "--token",
                token,
                "--run",
                run,
                "--seconds",
                str(seconds),
                "--interval",
                str(args.review_interval),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        while reader.poll() is None:
            this_round = []
            for pid in children(stack.server.pid):
                rss = rss_kib(pid)
                if rss is not None:
                    samples.setdefault(pid, []).append(rss)
                    this_round.append(rss)
            if this_round:
                trace.append((time.monotonic() - started, sum(this_round) / len(this_round)))
            time.sleep(args.sample_seconds)
        reading = parse_wrk(reader.communicate()[0])
        report = reviewer.communicate()[0].strip().splitlines()
        if reviewer.returncode != 0 or not report:
            raise SystemExit(f"the reviewer process failed (exit {reviewer.returncode}); see its traceback above")
        reviewed = json.loads(report[-1])
        logged = stack.logged_errors()
    after = _audit_events()
    verify = subprocess.run([PYTHON, "manage.py", "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True)

    actions = reviewed["actions"]
    performed = sum(actions.values())
    print(
        f"warm-up ({args.warmup_seconds} s, unpaced, not measured): readers {warm_reads.requests} requests, "
        f"errors {warm_reads.errors}; API {warm_submits.requests} drafts submitted, errors {warm_submits.errors}"
    )
    print(
        f"readers: {reading.requests} requests in {reading.seconds:.0f} s = {reading.rps:.1f} req/s, "
        f"p50 {reading.p50_ms:.2f} ms, p99 {reading.p99_ms:.2f} ms, max {reading.max_ms:.1f} ms, "
        f"errors {reading.errors} (non-2xx {reading.non2xx}, socket {reading.socket_errors})"
    )
    print(
        f"reviewer: {actions['submit']} drafts submitted over HTTP, {actions['start_review']} reviews started, "
        f"{actions['verdict']} citation verdicts, {actions['approve']} approved, "
        f"{reviewed['published_pages_read']} published pages read (200); errors {len(reviewed['errors'])}"
    )
    for error in reviewed["errors"][:5]:
        print("   ", error[:300])
    lost = before + performed - after
    print(
        f"audit events: {before} before, {after} after: {after - before} written for {performed} actions "
        f"({'none lost' if lost == 0 else f'{lost} MISSING' if lost > 0 else f'{-lost} unexpected extra'})"
    )
    print(f"verify_audit: {(verify.stdout + verify.stderr).strip()}")
    print("RSS per gunicorn worker (MiB), sampled every", args.sample_seconds, "s: first / last / max (samples)")
    for pid, (first, last, peak) in memory_summary(samples).items():
        print(
            f"  pid {pid}: {first / 1024:7.1f} / {last / 1024:7.1f} / {peak / 1024:7.1f}"
            f"  ({len(samples[pid])}; last - first {(last - first) / 1024:+.1f})"
        )
    minutes = [f"{kib / 1024:.1f}" for _, kib in per_minute(trace)]
    print(f"mean worker RSS (MiB) at the start and after each minute: {' '.join(minutes)}")
    if len(trace) > 1:
        grew = (trace[-1][1] - trace[0][1]) / 1024
        print(f"mean worker RSS over the soak: {grew:+.1f} MiB ({grew / (trace[-1][0] / 60):+.2f} MiB/min)")
    print(f"errors logged by gunicorn/Celery: {len(logged)} (log: {log_path})")
    for line in logged[:5]:
        print("   ", line[:300])
    failed = (
        reading.errors
        or warm_reads.errors
        or warm_submits.errors
        or reviewed["errors"]
        or lost
        or verify.returncode
        or logged
    )
    return 1 if failed else 0


def warm_up(port: int, paths: list[str], token: str, run: str, args) -> tuple[WrkResult, WrkResult]:
    """Readers and API submissions at full speed for --warmup-seconds, before anything is measured.

    A worker's resident memory climbs for its first few thousand requests and
    then stays level (in one process: about 8,000 page reads, 1,000 API
    submissions; Python objects stay flat meanwhile, apart from bounded caches).
    Measured from a cold start, a 10-minute soak at a reader's pace shows that
    climb, not whether memory leaks.
    """
    readers = subprocess.Popen(
        wrk_command(port, ["get", *paths], seconds=args.warmup_seconds, connections=args.connections),
        stdout=subprocess.PIPE,
        text=True,
    )
    submits = subprocess.Popen(
        wrk_command(port, ["submit", f"{run}-warm", token], seconds=args.warmup_seconds, connections=2),
        stdout=subprocess.PIPE,
        text=True,
    )
    results = parse_wrk(readers.communicate()[0]), parse_wrk(submits.communicate()[0])
    drain(port)
    return results


def _draft(external_id: str) -> bytes:
    return json.dumps(
        {
            "external_id": external_id,
            "question": f"Soak question {external_id}: which patients need intravenous iron?",
            "specialty": "hematology-oncology",
            "sections": [
                {"heading": "From the Guidelines", "body": "Oral iron is first line [1]; IV iron when it fails [2]."},
                {"heading": "Bottom line", "body": "Start oral iron [1, 2]."},
            ],
            "citations": [
                {"number": 1, "title": "Guideline on iron deficiency", "journal": "Blood", "year": 2021},
                {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
            ],
            "model": {"name": "soak", "version": "1"},
        }
    ).encode()


def run_reviewer(args) -> int:
    """The soak's reviewer, in its own process: drafts in over HTTP, review and approval by the services."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from answers.models import Answer, Citation
    from editorial.models import Verdict
    from editorial.review import checks, services

    board_member = get_user_model().objects.get(username="dr.okafor")
    actions = dict.fromkeys(["submit", "start_review", "verdict", "approve"], 0)
    errors: list[str] = []
    published = 0
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    deadline = time.monotonic() + args.seconds
    n = 0
    while time.monotonic() < deadline:
        began = time.monotonic()
        n += 1
        try:
            conn.request("POST", "/api/v1/drafts/", body=_draft(f"soak-{args.run}-{n}"), headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                raise RuntimeError(f"API submit answered {response.status}: {body[:200]!r}")
            actions["submit"] += 1
            created = json.loads(body)
            services.answer_start_review(acting_user=board_member, answer=created["answer_id"])
            actions["start_review"] += 1
            for citation in Citation.objects.filter(revision_id=created["id"]).order_by("number"):
                checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict=Verdict.VERIFIED)
                actions["verdict"] += 1
            services.answer_approve(
                acting_user=board_member, answer=created["answer_id"], attestation=settings.APPROVAL_ATTESTATION
            )
            actions["approve"] += 1
            conn.request("GET", Answer.objects.get(pk=created["answer_id"]).get_absolute_url())
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"the approved answer's page answered {response.status}")
            published += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"draft {n}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        time.sleep(max(0.0, args.interval - (time.monotonic() - began)))
    print(json.dumps({"actions": actions, "published_pages_read": published, "errors": errors}))
    return 0


# -- command line -----------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("load", "soak"):
        sub = commands.add_parser(name)
        sub.add_argument("--answers", type=int, default=100_000, help="answers to generate (default 100,000)")
        sub.add_argument("--reuse", action="store_true", help="use the existing filled <name>_load database")
        sub.add_argument("--database", help="database name (default: DATABASE_URL's name + _load)")
        sub.add_argument("--query", default="atrial fibrillation", help="search words for the list page")
    load, soak = commands.choices["load"], commands.choices["soak"]
    load.add_argument("--seconds", type=int, default=15, help="length of each measured run (default 15)")
    load.add_argument("--rounds", type=int, default=3, help="interleaved runs per scenario (default 3)")
    load.add_argument("--connections", type=int, default=16)
    soak.add_argument("--minutes", type=float, default=10)
    soak.add_argument("--connections", type=int, default=8, help="reader connections (default 8)")
    soak.add_argument("--pace-ms", type=int, default=100, help="pause between a connection's requests (default 100)")
    soak.add_argument("--pages", type=int, default=20, help="answer pages the readers read (default 20)")
    soak.add_argument("--review-interval", type=float, default=2.0, help="seconds per reviewed draft (default 2)")
    soak.add_argument(
        "--warmup-seconds", type=int, default=240, help="unpaced reading and submitting first (default 240)"
    )
    soak.add_argument("--sample-seconds", type=float, default=10.0, help="RSS sampling period (default 10)")
    reviewer = commands.add_parser("_review", help=argparse.SUPPRESS)
    options = (("--port", int), ("--token", str), ("--run", str), ("--seconds", float), ("--interval", float))
    for option, kind in options:
        reviewer.add_argument(option, type=kind, required=True)
    args = parser.parse_args()
    return {"load": run_load, "soak": run_soak, "_review": run_reviewer}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
