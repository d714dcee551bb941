"""Load the demo: roles' users, specialties, the seed answer, a synthetic history.

Safe to run again: users get their demo password back, content is added once.
"""

import json
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from answers import clock
from answers.models import DeclaredInterest, Question, ReviewerProfile, Specialty
from editorial.access import roles
from editorial.demo import high_risk, synthetic
from editorial.models import ApiToken, CitationAdjudication
from editorial.notify import outbox
from editorial.review import checks, services

DEMO_TOKEN_NAME = "demo token"

DEMO_DIR = Path(synthetic.__file__).resolve().parent

SPECIALTIES = [
    ("Hematology/Oncology", "hematology-oncology"),
    ("Cardiology", "cardiology"),
    ("Endocrinology", "endocrinology"),
    ("Infectious Disease", "infectious-disease"),
    ("Neurology", "neurology"),
    ("Pulmonology", "pulmonology"),
]

# username, password, group, staff, superuser, what they do
USERS = [
    ("admin", "vetted-admin-demo", None, True, True, "superuser: everything in the admin"),
    ("editor", "vetted-editor-demo", roles.EDITORS, True, False, "editor: assigns reviewers, retracts, runs reports"),
    (
        "dr.chen",
        "vetted-chen-demo",
        roles.BOARD,
        True,
        False,
        "board member (Hematology/Oncology, Cardiology): reviews and approves",
    ),
    (
        "dr.okafor",
        "vetted-okafor-demo",
        roles.BOARD,
        True,
        False,
        "board member (all specialties): reviews and approves",
    ),
    ("drafter", "vetted-drafter-demo", roles.DRAFTING, False, False, "drafting system: submits drafts through the API"),
    ("reader", "vetted-reader-demo", None, False, False, "reader account: no editorial rights"),
]

PROFILES = {
    "dr.chen": {
        "display_name": "Dr. Maya Chen",
        "credentials": "MD, FACP",
        "slug": "maya-chen",
        "bio": "Hematologist-oncologist with fifteen years of practice in adult leukemia.",
        "conflict_of_interest": "No relevant financial relationships.",
        "specialties": ["hematology-oncology", "cardiology"],
    },
    "dr.okafor": {
        "display_name": "Dr. Daniel Okafor",
        "credentials": "MD, PhD",
        "slug": "daniel-okafor",
        "bio": "Internist and clinical epidemiologist; reviews evidence summaries across specialties.",
        "conflict_of_interest": "Has received speaker fees from a medical education company (2023).",
        "specialties": [slug for _, slug in SPECIALTIES],
    },
}

# Declared interests shown on the board page (a past one: it refuses no review).
DECLARATIONS = {
    "dr.okafor": [
        {
            "kind": "company",
            "name": "Medscape",
            "start": date(2023, 1, 1),
            "end": date(2023, 12, 31),
            "statement": "Speaker fees for continuing medical education talks.",
        }
    ],
}


def _at(day: str, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hour)))


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=200, help="synthetic answers to create (default 200)")

    def handle(self, *args, **options):
        with outbox.muted():  # the replayed history is not news: no e-mail about it
            self._load(**options)

    def _load(self, **options):
        with transaction.atomic():
            specialties = {
                slug: Specialty.objects.get_or_create(slug=slug, defaults={"name": name})[0]
                for name, slug in SPECIALTIES
            }
            users = self._users(specialties)
        seed = json.loads((DEMO_DIR / "seed_answer.json").read_text())
        if not Question.objects.filter(text=seed["question"]).exists():
            self._seed_answer(seed, specialties, users)
            self.stdout.write("Loaded the seed answer.")
        if not high_risk.exists():
            high_risk.build(users=users, now=clock.now())
            self.stdout.write(f"Loaded {len(high_risk.CASES)} high-risk answers (two approvals).")
        if not synthetic.history_exists():
            steps = synthetic.build_history(
                users={
                    "drafter": users["drafter"],
                    "editor": users["editor"],
                    "board": [users["dr.chen"], users["dr.okafor"]],
                },
                now=clock.now(),
                count=options["answers"],
            )
            self.stdout.write(f"Loaded {options['answers']} synthetic answers ({steps} review steps).")
        self._print_logins()
        self._print_high_risk()
        self._print_api_token(users["drafter"])

    def _users(self, specialties):
        User = get_user_model()
        users = {}
        for username, password, group, staff, superuser, _ in USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@vetted.invalid"})
            user.is_staff, user.is_superuser, user.is_active = staff, superuser, True
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user
        for username, data in PROFILES.items():
            data = dict(data)
            wanted = data.pop("specialties")
            profile, _ = ReviewerProfile.objects.update_or_create(user=users[username], defaults=data)
            profile.specialties.set([specialties[s] for s in wanted])
            for declared in DECLARATIONS.get(username, []):
                DeclaredInterest.objects.update_or_create(
                    profile=profile, name=declared["name"], defaults={k: v for k, v in declared.items() if k != "name"}
                )
        return users

    def _seed_answer(self, seed, specialties, users):
        draft = services.Draft(
            question=seed["question"],
            specialty=specialties[seed["specialty"]],
            audience=seed["audience"],
            sections=seed["sections"],
            citations=seed["citations"],
            model_name=seed["model"]["name"],
            model_version=seed["model"]["version"],
            external_id="demo-seed-inotuzumab",
        )
        reviewer, attest = users["dr.chen"], settings.APPROVAL_ATTESTATION
        with clock.travel(_at("2025-03-20", 9)):
            answer = services.draft_submit(acting_user=users["drafter"], draft=draft).answer
            answer.refresh_from_db()
        with clock.travel(_at("2025-03-21", 10)):
            answer = services.answer_start_review(acting_user=reviewer, answer=answer)
        with clock.travel(_at("2025-03-23", 16)):
            for citation in answer.pending_revision.citations.all():
                checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict="verified")
        with clock.travel(_at(seed["last_updated"], 10)):
            answer = services.answer_approve(acting_user=reviewer, answer=answer, attestation=attest)
        # It gives doses (1.3-1.8 mg/m²): high risk, so a second board member reviews it on their own and approves.
        second = users["dr.okafor"]
        with clock.travel(_at(seed["last_updated"], 13)):
            answer = services.answer_start_review(acting_user=second, answer=answer)
            for citation in answer.pending_revision.citations.all():
                checks.citation_verdict_record(acting_user=second, citation=citation, verdict="verified")
        with clock.travel(_at(seed["last_updated"], 15)):
            answer = services.answer_approve(acting_user=second, answer=answer, attestation=attest)
        # A year on, once it fell due (24 March 2026), the board re-reviewed the same text:
        # last_reviewed moves, last_updated stays.
        with clock.travel(_at("2026-03-25", 11)):
            answer = services.answer_reaffirm(acting_user=users["dr.okafor"], answer=answer, attestation=attest)

    def _print_api_token(self, drafter):
        """A fresh API token for the demo drafting system; the previous demo token is revoked.

        Tokens are stored hashed, so the raw value can only be printed when it is made.
        """
        ApiToken.objects.filter(user=drafter, name=DEMO_TOKEN_NAME, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        _, raw = ApiToken.issue(user=drafter, name=DEMO_TOKEN_NAME)
        self.stdout.write(f"\nDemo API token for `drafter` (shown once; a rerun makes a new one):\n  {raw}")

    def _print_high_risk(self):
        self.stdout.write("\nHigh-risk demo answers (two approvals), to review in the admin:")
        for _, answer in high_risk.answers():
            url = reverse("admin:answers_answer_change", args=[answer.pk])
            self.stdout.write(f"  {answer.get_status_display():<24} {url}  {answer.question.text}")
            if adjudicated := CitationAdjudication.objects.filter(answer=answer).count():
                self.stdout.write(f"  {'':<24} ({adjudicated} disagreement adjudicated by an editor, then approved)")

    def _print_logins(self):
        self.stdout.write("\nDemo logins (admin at http://127.0.0.1:8000/admin/):")
        for username, password, _, _, _, role in USERS:
            self.stdout.write(f"  {username:<10} {password:<22} {role}")
