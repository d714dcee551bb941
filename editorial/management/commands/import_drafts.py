"""Import drafts from a JSON Lines file: one draft a line, the same JSON as `POST /api/v1/drafts/`.

Each line is its own transaction, so a crash loses at most the line in
flight; drafts whose `external_id` is already stored with the same content
are counted as already present, so a rerun finishes the job without
duplicates. Bad lines are reported with their line number and skipped.
"""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from editorial.access import rights
from editorial.drafting import intake
from editorial.errors import Invalid, ReviewError


class Command(BaseCommand):
    help = "Import drafts from a JSON Lines file (one draft a line, the API's JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .jsonl file")
        parser.add_argument("--user", required=True, help="the drafting system's username the drafts are stored under")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, user, no_progress, **options):
        acting_user = self._user(user)
        try:
            with open(file, encoding="utf-8") as stream:
                total = sum(1 for _ in stream)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None

        created = present = 0
        failures: list[str] = []
        with open(file, encoding="utf-8") as stream:
            bar = tqdm(stream, total=total, unit="draft", file=sys.stderr, disable=no_progress, dynamic_ncols=True)
            for number, line in enumerate(bar, start=1):
                if not line.strip():
                    continue
                try:
                    was_created = self._import_line(line, acting_user)
                except (ReviewError, ValueError) as exc:
                    message = f"line {number}: {self._describe(exc)}"
                    failures.append(message)
                    tqdm.write(message, file=sys.stderr)
                    continue
                created += was_created
                present += not was_created
            bar.close()

        summary = f"{created} imported, {present} already present, {len(failures)} failed"
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        why = rights.refusal(rights.may_submit, user=user)
        if why:
            raise CommandError(f"{username}: {why}")
        return user

    def _import_line(self, line: str, acting_user) -> bool:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc})") from None
        draft = intake.parse_draft(data)
        with transaction.atomic():
            _, created = intake.draft_receive(acting_user=acting_user, draft=draft)
        return created

    @staticmethod
    def _describe(exc: Exception) -> str:
        if isinstance(exc, Invalid):
            return "; ".join(f"{p.field}: {p.message}" for p in exc.problems)
        if isinstance(exc, ReviewError):
            return exc.message
        return str(exc)
