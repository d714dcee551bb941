"""Reads for the reviewer's desk: the queues, the counts, one answer under review.

Each selector shapes its query once (joins, prefetches, annotations), so the
number of queries a page runs does not grow with the number of answers,
citations or comments. Writes live in `editorial.review.services` and `editorial.review.checks`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from answers import clock
from answers.models import PUBLIC, Answer, Citation, Section, Status
from editorial.access import roles
from editorial.audit.describe import TRAIL_RELATED
from editorial.models import AuditEvent, Comment

WAITING = (Status.SUBMITTED, Status.UNDER_REVIEW)

# How far the review page goes back in the audit trail; the full trail is one link away.
AUDIT_TRAIL_LIMIT = 100


def overdue_q() -> Q:
    """Answers past their review SLA in the current state, or past their next review date."""
    now = clock.now()
    return (
        Q(status=Status.SUBMITTED, status_changed_at__lt=now - settings.REVIEW_SLA_SUBMITTED)
        | Q(status=Status.UNDER_REVIEW, status_changed_at__lt=now - settings.REVIEW_SLA_UNDER_REVIEW)
        | due_for_rereview_q()
    )


def due_for_rereview_q() -> Q:
    """Published content whose next review date has come (flagged by the sweep or not yet),
    whatever re-draft is pending: re-review follows the live revision."""
    return PUBLIC & (Q(review_due=True) | Q(next_review_due__lte=clock.today()))


def _reviewable_by_q(user) -> Q:
    """Answers `user` could review, as a query: the set `editorial.access.rights` allows row by row.

    The services still decide every action; this only narrows the counts and
    queues to what is worth showing a board member.
    """
    q = Q()
    if settings.REVIEW_REQUIRES_SPECIALTY:
        q &= Q(question__specialty__reviewers__user=user)
    return q


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _with_flags(queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    """`overdue` and `rereview_due` on each answer, computed by the database from the rules above."""
    return queryset.annotate(overdue=_flag(overdue_q()), rereview_due=_flag(due_for_rereview_q()))


def answer_queue() -> QuerySet[Answer]:
    """The answer list: everything the list shows in one query per page.

    `waiting_rank` orders answers that wait for someone first (in review,
    then due for re-review), then the rest; each group oldest first.
    `overdue` and `rereview_due` flag answers past their SLA or review date.
    """
    queryset = Answer.objects.select_related("question__specialty", "reviewer").annotate(
        waiting_rank=Case(
            When(status__in=WAITING, then=Value(0)),
            When(due_for_rereview_q(), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return _with_flags(queryset)


def waiting_for_q(user) -> Q:
    """Submitted answers this board member may claim: assigned to them or to nobody, not their own draft."""
    return (
        Q(status=Status.SUBMITTED)
        & (Q(reviewer=user) | Q(reviewer__isnull=True))
        & ~Q(pending_revision__created_by=user)
        & _reviewable_by_q(user)
    )


def in_review_by_q(user) -> Q:
    return Q(status=Status.UNDER_REVIEW, reviewer=user)


def due_for_rereview_by_q(user) -> Q:
    return due_for_rereview_q() & ~Q(live_revision__created_by=user) & _reviewable_by_q(user)


# The desk queues, by name: the admin index counts them and the list filters by them.
DESK_QUEUES = {
    "waiting": ("Waiting for me", waiting_for_q),
    "in_review": ("In review by me", in_review_by_q),
    "due": ("Due for re-review", due_for_rereview_by_q),
}


@dataclass(frozen=True)
class DeskCount:
    queue: str
    label: str
    count: int


def desk_counts(user) -> list[DeskCount]:
    """The admin index's counts for one user, in a single aggregate query.

    Board members see what waits for them; editors also see what waits for an
    assignment and what is overdue. Others see nothing.
    """
    aggregates = {}
    if roles.is_board_member(user):
        for name, (_, q) in DESK_QUEUES.items():
            aggregates[name] = Count("pk", filter=q(user), distinct=True)
    if roles.is_editor(user):
        aggregates["unassigned"] = Count("pk", filter=Q(status=Status.SUBMITTED, reviewer__isnull=True))
        aggregates["overdue"] = Count("pk", filter=overdue_q())
    if not aggregates:
        return []
    counts = Answer.objects.aggregate(**aggregates)
    labels = {name: label for name, (label, _) in DESK_QUEUES.items()}
    labels |= {"unassigned": "Waiting for a reviewer", "overdue": "Overdue"}
    return [DeskCount(queue=name, label=labels[name], count=counts[name]) for name in aggregates]


def board_members() -> QuerySet:
    """Active board members, for the reviewer choice of the assign forms."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.BOARD)
        .select_related("reviewer_profile")
        .order_by("reviewer_profile__display_name", "username")
        .distinct()
    )


def _citations_with_verdicts() -> QuerySet[Citation]:
    return Citation.objects.select_related("verdict__reviewer", "verdict__waived_by").order_by("number")


def answer_for_review(answer_id) -> Answer | None:
    """One answer with everything the review page shows, in a fixed number of queries.

    The pending and live revisions come with their sections and citations
    (and each citation's verdict), the answer with its comments.
    """
    revision_prefetches = [
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch("citations", queryset=_citations_with_verdicts()),
    ]
    return (
        _with_flags(Answer.objects.all())
        .select_related(
            "question__specialty",
            "reviewer__reviewer_profile",
            "approved_by",
            "pending_revision__created_by",
            "live_revision__created_by",
        )
        .prefetch_related(
            *(
                Prefetch(f"{revision}__{p.prefetch_through}", queryset=p.queryset)
                for revision in ("pending_revision", "live_revision")
                for p in revision_prefetches
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related(
                    "author__reviewer_profile", "revision", "section", "resolved_by"
                ),
            ),
        )
        .filter(pk=answer_id)
        .first()
    )


def audit_trail(answer: Answer, *, limit: int = AUDIT_TRAIL_LIMIT) -> list[AuditEvent]:
    """The answer's audit events, newest first (at most `limit`), with what their sentences read."""
    return list(AuditEvent.objects.filter(answer_id=answer.pk).select_related(*TRAIL_RELATED).order_by("-id")[:limit])
