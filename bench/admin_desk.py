"""Benchmark of the reviewer's desk: the answer list and the review page.

Creates a throwaway test database (SQLite in memory, or test_<name> on the
PostgreSQL of DATABASE_URL), fills it with N answers by bulk_create, and times
the admin pages through Django's test client. Prints, per page: queries per
request, median and p95 milliseconds.

    .venv/bin/python bench/admin_desk.py [--answers 10000] [--citations 40] [--repeat 30]
"""

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from answers import clock  # noqa: E402
from answers.models import Answer, Question, ReviewerProfile, Specialty, Status  # noqa: E402
from editorial.access import roles  # noqa: E402
from editorial.review import checks, services  # noqa: E402

STATUSES = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED]
LIST_VIEWS = ["", "?overdue=yes", "?desk=waiting", "?q=question+1234", "?o=5"]


def _user(name: str, group: str, *, staff: bool = True) -> User:
    user = User.objects.create_user(name, password=f"{name}-password", is_staff=staff)
    user.groups.add(Group.objects.get(name=group))
    return user


def build(answers: int, citations: int):
    specialty = Specialty.objects.create(name="Hematology/Oncology", slug="hematology-oncology")
    drafter = _user("drafter", roles.DRAFTING, staff=False)
    board = _user("maya", roles.BOARD)
    # Board members review within their specialties (REVIEW_REQUIRES_SPECIALTY, on by default).
    profile = ReviewerProfile.objects.create(user=board, display_name="Dr. Maya Chen", slug="maya-chen")
    profile.specialties.add(specialty)
    now = clock.now()
    batch = 5000
    for start in range(0, answers, batch):
        questions = Question.objects.bulk_create(
            Question(text=f"Bulk question {i}", slug=f"bulk-{i}", specialty=specialty)
            for i in range(start, min(start + batch, answers))
        )
        Answer.objects.bulk_create(
            Answer(
                question=q,
                status=STATUSES[i % len(STATUSES)],
                status_changed_at=now - timedelta(hours=i % 700),
                reviewer=board if i % 3 == 0 else None,
                next_review_due=(now + timedelta(days=i % 400 - 30)).date(),
            )
            for i, q in enumerate(questions, start=start)
        )
    draft = services.Draft(
        question="A question with many citations?",
        specialty=specialty,
        sections=[
            {"heading": "From the Guidelines", "body": " ".join(f"Claim [{n}]." for n in range(1, citations + 1))},
            {"heading": "Key Findings", "body": "- Findings [1]."},
        ],
        citations=[{"number": n, "title": f"Study {n}", "year": 2020} for n in range(1, citations + 1)],
    )
    answer = services.draft_submit(acting_user=drafter, draft=draft).answer
    answer = services.answer_start_review(acting_user=board, answer=answer)
    for citation in answer.pending_revision.citations.all():
        checks.citation_verdict_record(acting_user=board, citation=citation, verdict="verified")
    return board, answer


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, float]:
    client.get(url)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return len(captured), statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--citations", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    logging.disable(logging.INFO)  # the access log would drown the figures
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "postgresql":  # its own database, never the one pytest uses
        connection.settings_dict["TEST"]["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        board, answer = build(args.answers, args.citations)
        print(f"{connection.vendor}: {args.answers} answers built in {time.perf_counter() - started:.1f}s")
        client = Client()
        client.force_login(board)
        print(f"{'page':45} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        pages = [(f"answer list {v or '(default)'}", "/admin/answers/answer/" + v) for v in LIST_VIEWS]
        pages += [
            (f"review page ({args.citations} citations)", f"/admin/answers/answer/{answer.pk}/change/"),
            ("admin index (desk counts)", "/admin/"),
        ]
        for label, url in pages:
            count, median, p95 = measure(client, url, args.repeat)
            print(f"{label:45} {count:>7} {median:>10.1f} {p95:>8.1f}")
        if os.environ.get("BENCH_SQL"):
            with CaptureQueriesContext(connection) as captured:
                client.get(pages[-2][1])
            for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:5]:
                print(q["time"], q["sql"][:150])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
