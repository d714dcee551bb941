"""Time the re-review and reminder sweeps over many answers, and count their queries.

    python manage.py bench_sweeps --answers 100000

Creates the answers with bulk_create inside one transaction and rolls it all
back at the end (audit events are append-only, so a benchmark must leave
none behind). Run it on PostgreSQL; the figures on SQLite mean little.
"""

import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from answers import clock
from answers.models import Specialty, Status
from editorial.notify import sweeps
from editorial.review import sweeps as review_sweeps
from tests.support.bulk import bulk_answers


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the re-review and reminder sweeps (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=100_000, help="approved answers, all past due")
        parser.add_argument("--waiting", type=int, default=1_000, help="answers waiting past their SLA")
        parser.add_argument("--batch-size", type=int, default=None, help="re-review batch (REREVIEW_BATCH_SIZE)")

    def handle(self, *args, answers, waiting, batch_size, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: not PostgreSQL; these figures say little about production.")
        try:
            with transaction.atomic():
                self._run(answers=answers, waiting=waiting, batch_size=batch_size)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def _measure(self, label: str, sweep) -> None:
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            result = sweep()
            elapsed = time.perf_counter() - started
        self.stdout.write(f"{label:<36} {result:>7} handled  {elapsed:8.2f} s  {count:>5} queries")

    def _run(self, *, answers: int, waiting: int, batch_size: int | None) -> None:
        now = clock.now()
        author, _ = get_user_model().objects.get_or_create(username="bench-drafter")
        specialty, _ = Specialty.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
        started = time.perf_counter()
        bulk_answers(count=answers, specialty=specialty, author=author, next_review_due=now.date() - timedelta(days=1))
        bulk_answers(
            count=waiting,
            specialty=specialty,
            author=author,
            status=Status.SUBMITTED,
            status_changed_at=now - timedelta(days=30),
            prefix="bench-waiting",
        )
        self.stdout.write(
            f"Created {answers} approved answers past due and {waiting} waiting past their SLA "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor})."
        )
        self._measure("re-review sweep", lambda: review_sweeps.rereview_sweep(batch_size=batch_size))
        self._measure(
            "re-review sweep again (nothing due)", lambda: review_sweeps.rereview_sweep(batch_size=batch_size)
        )
        self._measure("reminder sweep", sweeps.reminders_sweep)
        self._measure("reminder sweep again (all sent)", sweeps.reminders_sweep)
