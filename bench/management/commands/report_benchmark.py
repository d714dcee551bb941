"""Time every report page and count its queries, on whatever data the database holds.

Run it after `manage.py generate_report_data` on PostgreSQL: the target is at
most one second per page, and a query count that does not grow with the data.
Each page is requested through the full Django stack (middleware, template)
as a staff member, for the default range (last 12 weeks), the whole history,
and the whole history narrowed to one specialty.
"""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import clock
from answers.models import Specialty
from editorial.access import roles
from editorial.models import AuditEvent
from editorial.reports.tables import PAGES


class Command(BaseCommand):
    help = "Print each report page's render time and query count."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="requests per page and range (default 3)")
        parser.add_argument("--csv", action="store_true", help="also time each table's CSV export")

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=roles.EDITORS))
        client = Client()
        client.force_login(user)

        first = AuditEvent.objects.aggregate(m=Min("created_at"))["m"]
        today = clock.today()
        specialty = Specialty.objects.order_by("pk").first()
        everything = {
            "date_from": (first.date() if first else today - timedelta(days=730)).isoformat(),
            "date_to": today.isoformat(),
        }
        ranges = [("default (12 weeks; backlog: all)", {}), ("all history", everything)]
        if specialty is not None:
            ranges.append((f"all, {specialty.slug}", {**everything, "specialty": specialty.slug}))

        events = AuditEvent.objects.count()
        self.stdout.write(f"{connection.vendor}, {events} audit events; {options['repeat']} requests each\n")
        self.stdout.write(f"{'page':<28}{'range':<34}{'median ms':>10}{'max ms':>9}{'queries':>9}")
        worst = 0.0
        for page, (_, tables) in PAGES.items():
            url = reverse("editorial_reports:page", args=[page])
            targets = [(page, url, {})]
            if options["csv"]:
                targets += [(f"{page} csv:{name}", url, {"export": name}) for name in tables]
            for label, target, extra in targets:
                for range_label, params in ranges:
                    timings, queries = [], 0
                    for _ in range(options["repeat"]):
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            response = client.get(target, {**params, **extra})
                            timings.append(time.perf_counter() - started)
                        if response.status_code != 200:
                            self.stderr.write(f"{label} {range_label}: HTTP {response.status_code}")
                        queries = len(captured)
                    worst = max(worst, max(timings))
                    self.stdout.write(
                        f"{label:<28}{range_label:<34}{statistics.median(timings) * 1000:>10.0f}"
                        f"{max(timings) * 1000:>9.0f}{queries:>9}"
                    )
        self.stdout.write(f"\nslowest request: {worst * 1000:.0f} ms (target: 1000 ms)")
