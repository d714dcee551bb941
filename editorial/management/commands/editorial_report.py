"""Print the editorial report figures, the same ones the report pages show."""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from answers.models import Specialty
from editorial.reports import csv as report_csv
from editorial.reports import tables
from editorial.reports.queries import ReportFilter


def _date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--{name}: {raw!r} is not a date (use YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Print the report figures for a date range as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last day (inclusive), YYYY-MM-DD")
        parser.add_argument("--specialty", help="specialty slug")
        parser.add_argument("--reviewer", help="board member's username")
        parser.add_argument("--model", help='drafting model as "name version" (e.g. "medrafter 1.0")')
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--table", action="append", choices=list(tables.TABLES), help="only these tables (repeatable)"
        )

    def handle(self, *args, **options):
        f = self._filter(options)
        names = options["table"] or list(tables.TABLES)
        data = tables.build(names, f)
        out = self.stdout
        if options["format"] == "json":
            result = {
                "from": f.date_from.isoformat(),
                "to": f.date_to.isoformat(),
                "specialty": options["specialty"],
                "reviewer": options["reviewer"],
                "model": options["model"],
                "tables": {
                    name: [
                        {c.key: tables.cell(row.get(c.key), c.kind) for c in tables.TABLES[name].columns}
                        for row in data[name]
                    ]
                    for name in names
                },
            }
            out.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        for i, name in enumerate(names):
            if i:
                out.write("")
            out.write(f"# {tables.TABLES[name].title} ({name})")
            out.write(report_csv.to_text(tables.TABLES[name].headers(), tables.formatted(name, data[name])), ending="")

    def _filter(self, options) -> ReportFilter:
        start, end = _date("from", options["date_from"]), _date("to", options["date_to"])
        if start > end:
            raise CommandError("--to is before --from.")
        specialty_id = reviewer_id = None
        if options["specialty"]:
            specialty = Specialty.objects.filter(slug=options["specialty"]).first()
            if specialty is None:
                known = ", ".join(Specialty.objects.values_list("slug", flat=True))
                raise CommandError(f"--specialty: no specialty {options['specialty']!r} (known: {known}).")
            specialty_id = specialty.pk
        if options["reviewer"]:
            user = get_user_model().objects.filter(username=options["reviewer"]).first()
            if user is None:
                raise CommandError(f"--reviewer: no user {options['reviewer']!r}.")
            reviewer_id = user.pk
        model = None
        if options["model"]:
            name, _, version = options["model"].partition(" ")
            model = (name, version.strip())
        return ReportFilter(
            date_from=start, date_to=end, specialty_id=specialty_id, reviewer_id=reviewer_id, model=model
        )
