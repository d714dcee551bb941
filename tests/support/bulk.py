"""Many answers at once, for the sweep benchmark and the query-count tests.

Rows are written with bulk_create, bypassing the services on purpose: the
point is a large table to sweep or list, not a believable history (no audit events).
The database's invariants still hold (answers.models.INVARIANTS): answers are
written as new, and move to their status together with their revision.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery

from answers import clock
from answers.models import Answer, Question, ReviewState, Revision, RevisionReview, SourceKind, Status


def bulk_answers(
    *,
    count: int,
    specialty,
    author,
    status: str = Status.APPROVED,
    reviewer=None,
    next_review_due: date | None = None,
    status_changed_at: datetime | None = None,
    prefix: str = "bulk",
    batch_size: int = 5000,
) -> list[int]:
    """Create `count` answers in `status`, each with one revision (live when
    approved, pending otherwise; under review needs a `reviewer`). Returns the answer ids."""
    now = clock.now()
    today = clock.today()
    status_changed_at = status_changed_at or now
    questions = Question.objects.bulk_create(
        [
            Question(text=f"{prefix} question {i}", slug=f"{prefix}-question-{i}", specialty=specialty, created_at=now)
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    approved = status == Status.APPROVED
    answers = Answer.objects.bulk_create(
        [
            Answer(
                question=q,
                status=Status.NEW,
                status_changed_at=status_changed_at,
                created_at=now,
                approved_at=now if approved else None,
                last_updated=today if approved else None,
                last_reviewed=today if approved else None,
                next_review_due=(next_review_due or today + settings.REVIEW_INTERVAL) if approved else None,
                reviewer=reviewer,
            )
            for q in questions
        ],
        batch_size=batch_size,
    )
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                answer=a,
                number=1,
                source_kind=SourceKind.MODEL,
                model_name="bench",
                created_by=author,
                created_at=now,
                content_hash=f"{a.pk:064x}",
            )
            for a in answers
        ],
        batch_size=batch_size,
    )
    _reviews(revisions, status, batch_size=batch_size)
    ids = [a.pk for a in answers]
    revision = Subquery(Revision.objects.filter(answer=OuterRef("pk")).values("pk")[:1])
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        Answer.objects.filter(pk__in=chunk).update(
            status=status, **{"live_revision" if approved else "pending_revision": revision}
        )
    return ids


def _reviews(revisions, status: str, *, batch_size: int | None = None) -> None:
    """Each revision's own review, in the state its answer's desk status implies."""
    state = ReviewState.SUBMITTED if status == Status.NEW else ReviewState(status)
    RevisionReview.objects.bulk_create(
        [RevisionReview(revision=r, state=state) for r in revisions], batch_size=batch_size
    )


QUEUE_STATUSES = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED]


def bulk_queue(count: int, *, specialty, reviewer, offset: int = 0) -> None:
    """`count` answers for the reviewers' list: every status in turn (each moved there with its
    revision, as the database's invariants ask), waiting 0 to 499 hours, one in three (and every one
    under review) held by `reviewer`, next review due from 30 days ago to a year on."""
    now = clock.now()
    questions = Question.objects.bulk_create(
        Question(text=f"Bulk question {i}", slug=f"bulk-question-{i}", specialty=specialty)
        for i in range(offset, offset + count)
    )
    answers = Answer.objects.bulk_create(
        Answer(
            question=question,
            status_changed_at=now - timedelta(hours=i % 500),
            reviewer=reviewer if i % 3 == 0 or QUEUE_STATUSES[i % len(QUEUE_STATUSES)] == Status.UNDER_REVIEW else None,
            next_review_due=(now + timedelta(days=i % 400 - 30)).date(),
        )
        for i, question in enumerate(questions, start=offset)
    )
    revisions = Revision.objects.bulk_create(
        Revision(answer=a, number=1, source_kind=SourceKind.MODEL, created_by=reviewer, content_hash=f"{a.pk:064x}")
        for a in answers
    )
    for n, status in enumerate(QUEUE_STATUSES):
        _reviews([r for i, r in enumerate(revisions, start=offset) if i % len(QUEUE_STATUSES) == n], status)
    revision = Subquery(Revision.objects.filter(answer=OuterRef("pk")).values("pk")[:1])
    for n, status in enumerate(QUEUE_STATUSES):
        ids = [a.pk for i, a in enumerate(answers, start=offset) if i % len(QUEUE_STATUSES) == n]
        shown = (
            {}
            if status == Status.REJECTED
            else {"live_revision" if status == Status.APPROVED else "pending_revision": revision}
        )
        Answer.objects.filter(pk__in=ids).update(status=status, **shown)
