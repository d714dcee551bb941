"""Generate a large, realistic review history for the report benchmark.

By default 100,000 answers and about 1,000,000 audit events over the last two
years. Rows are written directly (COPY on PostgreSQL, bulk_create elsewhere)
rather than through the services, which would take hours at this size; the
rows are shaped exactly as the services write them, and the audit events
carry a valid hash chain, so `manage.py verify_audit` passes afterwards.

Events are appended answer by answer: within an answer they are in time
order (which the reports rely on), across answers ids are not in time order.
"""

import json
import random
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max

from answers import clock, search
from answers.models import (
    Answer,
    AnswerSearch,
    Citation,
    Question,
    ReviewerProfile,
    Revision,
    Section,
    SourceKind,
    Specialty,
    Status,
    canonical_content,
    content_hash,
)
from editorial.access import roles
from editorial.audit.trail import _CHAIN_LOCK_KEY, GENESIS, event_hash
from editorial.demo.synthetic import CHANGE_REASONS, QUESTION_FORMS, REJECT_REASONS, RETRACT_REASONS, TOPICS
from editorial.management.commands.load_demo import SPECIALTIES
from editorial.models import AuditAction, AuditEvent, CitationVerdict
from editorial.review.decisions import DECISIONS

# name, version, share of drafts, chance a citation is unsupported, chance it cannot be verified
MODELS = [
    ("medrafter", "1.0", 0.30, 0.06, 0.08),
    ("medrafter", "1.1", 0.30, 0.03, 0.05),
    ("guideline-writer", "2.3", 0.25, 0.02, 0.10),
    ("clinical-summariser", "0.9", 0.15, 0.10, 0.15),
]
BOARD_SIZE = 12
CHUNK = 2000
H = 3600.0

WRITE_ORDER = [Question, Answer, Revision, Section, Citation, CitationVerdict, AuditEvent]


class Command(BaseCommand):
    help = "Generate a large synthetic review history (default 100,000 answers, ~1,000,000 audit events)."

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=100_000)
        parser.add_argument("--days", type=int, default=730, help="spread the history over this many days")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["answers"] < 1:
            raise CommandError("--answers must be at least 1.")
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.now = clock.now()
        self.days = options["days"]
        self.attestation = settings.APPROVAL_ATTESTATION
        self._people()
        self.ids = {model: (model.objects.aggregate(m=Max("id"))["m"] or 0) for model in WRITE_ORDER}
        self.prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        self.counts = dict.fromkeys(WRITE_ORDER, 0)
        total = options["answers"]
        batch_id = uuid.uuid4().hex[:8]
        for first in range(0, total, CHUNK):
            rows = {model: [] for model in WRITE_ORDER}
            for n in range(first, min(first + CHUNK, total)):
                self._answer(rows, f"{batch_id}-{n}")
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
                for model in WRITE_ORDER:
                    self._write(model, rows[model])
            done = min(first + CHUNK, total)
            if done % 20000 == 0 or done == total:
                self.stdout.write(
                    f"  {done} answers, {self.counts[AuditEvent]} events ({time.monotonic() - started:.0f} s)"
                )
        if connection.vendor == "postgresql":
            # The answers went in before their sections: index their live text for reader search.
            search.rebuild()
            # VACUUM sets the visibility map, so the reports' index-only scans skip the
            # heap; it cannot run inside a transaction (as under a test), ANALYZE can.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in WRITE_ORDER:
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    )
                for model in [*WRITE_ORDER, AnswerSearch]:
                    cursor.execute(f"{vacuum} {model._meta.db_table}")
        summary = ", ".join(f"{self.counts[m]} {m._meta.verbose_name_plural}" for m in WRITE_ORDER)
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} in {time.monotonic() - started:.0f} s."))

    def _write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            _copy(model, rows)
        else:
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        self.counts[model] += len(rows)

    # -- people ----------------------------------------------------------------

    def _people(self):
        User = get_user_model()
        specialties = {}
        for name, slug in SPECIALTIES:
            specialties[slug] = Specialty.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        self.specialties = [specialties[slug] for slug in TOPICS]

        def user(username, group, *, staff=True):
            person, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": staff, "email": f"{username}@vetted.invalid"}
            )
            if created:
                person.set_unusable_password()
                person.save(update_fields=["password"])
            person.groups.add(Group.objects.get(name=group))
            return person

        self.drafter = user("gen-drafter", roles.DRAFTING, staff=False)
        self.editor = user("gen-editor", roles.EDITORS)
        self.board = []
        for i in range(1, BOARD_SIZE + 1):
            member = user(f"gen-reviewer-{i:02d}", roles.BOARD)
            profile, _ = ReviewerProfile.objects.get_or_create(
                user=member, defaults={"display_name": f"Dr. Generated Reviewer {i:02d}", "slug": f"gen-reviewer-{i}"}
            )
            member.label = f"{member.username} ({profile})"
            self.board.append(member)

    # -- one answer's history ----------------------------------------------------

    def _next_id(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def _answer(self, rows, key: str):
        rng = self.rng
        spec_index = rng.randrange(len(self.specialties))
        specialty = self.specialties[spec_index]
        topic = rng.choice(TOPICS[specialty.slug])
        text = rng.choice(QUESTION_FORMS).format(topic=topic) + f" (case {key})"
        start = self.now - timedelta(days=rng.uniform(0, self.days))
        question_id = self._next_id(Question)
        rows[Question].append(
            {
                "id": question_id,
                "text": text,
                "slug": f"generated-{key}",
                "specialty_id": specialty.pk,
                "created_at": start,
            }
        )
        answer_id = self._next_id(Answer)
        answer = {
            "id": answer_id,
            "question_id": question_id,
            "audience": "professional",
            "status": Status.NEW,
            "status_changed_at": start,
            "pending_revision_id": None,
            "live_revision_id": None,
            "reviewer_id": None,
            "approved_by_id": None,
            "approved_at": None,
            "last_updated": None,
            "last_reviewed": None,
            "next_review_due": None,
            "review_due": False,
            "retracted_at": None,
            "retraction_reason": "",
            "created_at": start,
        }
        history = _History(self, rows, answer)
        reviewer = rng.choice(self.board)
        model = rng.choices(MODELS, weights=[m[2] for m in MODELS])[0]
        t = start
        for round_ in (1, 2, 3):
            if round_ > 1 and rng.random() < 0.15:
                model = rng.choices(MODELS, weights=[m[2] for m in MODELS])[0]
            revision = history.revision(model, round_, topic, t)
            if not history.event(
                t,
                "submit",
                self.drafter,
                revision,
                to=Status.SUBMITTED,
                data={"revision": round_, "source": f"{model[0]} {model[1]}"},
            ):
                break
            if rng.random() < 0.6:
                t += timedelta(hours=rng.uniform(0.5, 24))
                if not history.assign(t, reviewer, revision):
                    break
            t += timedelta(hours=rng.lognormvariate(3.0, 0.8))  # median ~20 h to start
            if not history.event(t, "start_review", reviewer, revision, to=Status.UNDER_REVIEW):
                break
            problem = False
            for number in history.citations[revision["id"]]:
                t += timedelta(hours=rng.uniform(0.1, 6))
                roll = rng.random()
                verdict = (
                    "unsupported" if roll < model[3] else "unverifiable" if roll < model[3] + model[4] else "verified"
                )
                problem = problem or verdict == "unsupported"
                if not history.verdict(t, reviewer, revision, number, verdict):
                    break
            else:
                t += timedelta(hours=rng.lognormvariate(2.5, 0.9))
                if problem or rng.random() < 0.05:
                    if rng.random() < 0.2 or round_ == 3:
                        history.event(
                            t, "reject", reviewer, revision, to=Status.REJECTED, reason=rng.choice(REJECT_REASONS)
                        )
                        break
                    if not history.event(
                        t,
                        "request_changes",
                        reviewer,
                        revision,
                        to=Status.CHANGES_REQUESTED,
                        reason=rng.choice(CHANGE_REASONS),
                    ):
                        break
                    t += timedelta(hours=rng.lognormvariate(3.5, 0.7))
                    continue
                if not history.event(
                    t, "approve", reviewer, revision, to=Status.APPROVED, data={"attestation": self.attestation}
                ):
                    break
                history.after_approval(t, revision)
            break
        history.finish()


class _History:
    """Builds one answer's rows; events after `now` are never written."""

    def __init__(self, command: Command, rows, answer: dict):
        self.c, self.rows, self.answer = command, rows, answer
        self.rng = command.rng
        self.citations: dict[int, list[int]] = {}
        self.citation_ids: dict[tuple[int, int], int] = {}

    def revision(self, model, round_: int, topic: str, at) -> dict:
        rid = self.c._next_id(Revision)
        n_citations = self.rng.randint(3, 5)
        citations = [
            {
                "number": i,
                "title": f"Reference {i} on {topic}",
                "journal": "Generated Journal of Medicine",
                "year": self.rng.randint(2012, 2025),
            }
            for i in range(1, n_citations + 1)
        ]
        body = f"Current guidance on {topic} [1]; round {round_} [{n_citations}]."
        content = canonical_content(sections=[{"heading": "Key Findings", "body": body}], citations=citations)
        revision = {
            "id": rid,
            "answer_id": self.answer["id"],
            "number": round_,
            "source_kind": SourceKind.MODEL,
            "model_name": model[0],
            "model_version": model[1],
            "created_by_id": self.c.drafter.pk,
            "created_at": at,
            "content_hash": content_hash(content),
            "external_id": None,
        }
        self.pending = revision
        self.rows[Revision].append(revision)
        self.rows[Section].append(
            {"id": self.c._next_id(Section), "revision_id": rid, "position": 1, "heading": "Key Findings", "body": body}
        )
        self.citations[rid] = []
        for citation in content["citations"]:
            cid = self.c._next_id(Citation)
            self.rows[Citation].append({"id": cid, "revision_id": rid, **citation})
            self.citations[rid].append(citation["number"])
            self.citation_ids[(rid, citation["number"])] = cid
        return revision

    def _audit(self, at, action, actor, revision, *, from_state, to_state, reason="", data=None) -> None:
        c = self.c
        event = SimpleNamespace(
            id=c._next_id(AuditEvent),
            uuid=uuid.uuid4(),
            created_at=at,
            action=action,
            actor_id=actor.pk if actor else None,
            actor_label=getattr(actor, "label", actor.username) if actor else "system",
            answer_id=self.answer["id"],
            revision_id=revision["id"] if revision else None,
            revision_hash=revision["content_hash"] if revision else "",
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            data=data or {},
            prev_hash=c.prev_hash,
        )
        event.hash = event_hash(event)
        c.prev_hash = event.hash
        row = vars(event).copy()
        row["data"] = json.dumps(row["data"]) if connection.vendor == "postgresql" else row["data"]
        self.rows[AuditEvent].append(row)

    def event(self, at, action, actor, revision, *, to, reason="", data=None) -> bool:
        """A state change; False (and nothing written) when it would lie in the future."""
        if at > self.c.now:
            return False
        a = self.answer
        before = a["status"]
        if action == "submit":
            a["pending_revision_id"], a["reviewer_id"] = revision["id"], None
        elif action == "start_review":
            a["reviewer_id"] = actor.pk
        elif action == "approve":
            day = at.date()
            if a["live_revision_id"] != revision["id"]:
                a["last_updated"] = day
            a["live_revision_id"], a["pending_revision_id"] = revision["id"], None
            a["approved_by_id"], a["approved_at"] = actor.pk, at
            a["last_reviewed"], a["next_review_due"], a["review_due"] = day, day + settings.REVIEW_INTERVAL, False
        elif action == "reject":
            a["pending_revision_id"] = None
        elif action == "retract":
            a["live_revision_id"] = a["pending_revision_id"] = None
            a["review_due"], a["retracted_at"], a["retraction_reason"] = False, at, reason
        a["status"] = to
        a["status_changed_at"] = at
        self._audit(
            at, DECISIONS[action].action, actor, revision, from_state=before, to_state=to, reason=reason, data=data
        )
        return True

    def assign(self, at, reviewer, revision) -> bool:
        if at > self.c.now:
            return False
        self.answer["reviewer_id"] = reviewer.pk
        status = self.answer["status"]
        self._audit(
            at,
            AuditAction.ASSIGN,
            self.c.editor,
            revision,
            from_state=status,
            to_state=status,
            data={"reviewer": reviewer.username, "previous": None},
        )
        return True

    def verdict(self, at, reviewer, revision, number: int, verdict: str) -> bool:
        if at > self.c.now:
            return False
        note = {
            "unsupported": "The cited study does not report this outcome.",
            "unverifiable": "Could not find this reference.",
        }.get(verdict, "")
        self.rows[CitationVerdict].append(
            {
                "id": self.c._next_id(CitationVerdict),
                "citation_id": self.citation_ids[(revision["id"], number)],
                "answer_id": self.answer["id"],
                "revision_id": revision["id"],
                "verdict": verdict,
                "note": note,
                "reviewer_id": reviewer.pk,
                "decided_at": at,
                "waived_by_id": None,
                "waiver_reason": "",
                "waived_at": None,
            }
        )
        status = self.answer["status"]
        if verdict != "unverifiable" and self.rng.random() < 0.06:
            # The reviewer first could not find the source, then found it and changed the verdict.
            self._audit(
                at - timedelta(minutes=self.rng.uniform(1, 5)),
                AuditAction.CITATION_VERDICT,
                reviewer,
                revision,
                from_state=status,
                to_state=status,
                reason="Could not find this reference.",
                data={"citation": number, "verdict": "unverifiable"},
            )
        self._audit(
            at,
            AuditAction.CITATION_VERDICT,
            reviewer,
            revision,
            from_state=status,
            to_state=status,
            reason=note,
            data={"citation": number, "verdict": verdict},
        )
        return True

    def after_approval(self, t, revision) -> None:
        """Some approvals are retracted later; old ones fall due and are mostly re-reviewed."""
        rng, a = self.rng, self.answer
        if rng.random() < 0.04:
            at = t + timedelta(days=rng.uniform(10, 300))
            self.event(at, "retract", self.c.editor, revision, to=Status.RETRACTED, reason=rng.choice(RETRACT_REASONS))
            return
        due = a["next_review_due"]
        due_at = t + (due - t.date()) + timedelta(hours=1)
        if due_at > self.c.now:
            return
        a["review_due"] = True
        self._audit(
            due_at,
            AuditAction.REVIEW_DUE,
            None,
            revision,
            from_state=Status.APPROVED,
            to_state=Status.APPROVED,
            data={"next_review_due": due.isoformat()},
        )
        if rng.random() < 0.7:
            at = due_at + timedelta(days=rng.uniform(1, 40))
            if at <= self.c.now:
                member = rng.choice(self.c.board)
                day = at.date()
                a["approved_by_id"], a["last_reviewed"] = member.pk, day
                a["next_review_due"], a["review_due"] = day + settings.REVIEW_INTERVAL, False
                self._audit(
                    at,
                    AuditAction.REAFFIRM,
                    member,
                    revision,
                    from_state=Status.APPROVED,
                    to_state=Status.APPROVED,
                    data={"attestation": self.c.attestation},
                )

    def finish(self) -> None:
        self.rows[Answer].append(self.answer)


def _copy(model, rows: list[dict]) -> None:
    columns = list(rows[0])
    table = model._meta.db_table
    names = ", ".join(f'"{model._meta.get_field(name).column}"' if name != "id" else '"id"' for name in columns)
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])
