"""Reads for the reviewer's desk: the queues, the counts, one answer under review.

Each selector shapes its query once (joins, prefetches, annotations), so the
number of queries a page runs does not grow with the number of answers,
citations or comments. Writes live in `editorial.review.services` and `editorial.review.checks`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, CharField, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf

from answers import clock
from answers.models import HELD_STATUSES, PUBLIC, Answer, Citation, Section, Specialty, Status
from editorial.access import rights, roles
from editorial.audit.describe import TRAIL_RELATED
from editorial.models import AuditEvent, Comment

WAITING = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_SECOND_REVIEW, Status.SECOND_REVIEW)

# How far the review page goes back in the audit trail; the full trail is one link away.
AUDIT_TRAIL_LIMIT = 100


def overdue_q() -> Q:
    """Answers past their review SLA in the current state, or past their next review date."""
    now = clock.now()
    return (
        # A second review waits and runs on the first review's clocks.
        Q(
            status__in=[Status.SUBMITTED, Status.AWAITING_SECOND_REVIEW],
            status_changed_at__lt=now - settings.REVIEW_SLA_SUBMITTED,
        )
        | Q(
            status__in=[Status.UNDER_REVIEW, Status.SECOND_REVIEW],
            status_changed_at__lt=now - settings.REVIEW_SLA_UNDER_REVIEW,
        )
        | due_for_rereview_q()
    )


def due_for_rereview_q() -> Q:
    """Published content whose next review date has come (flagged by the sweep or not yet),
    whatever re-draft is pending: re-review follows the live revision."""
    return PUBLIC & (Q(review_due=True) | Q(next_review_due__lte=clock.today()))


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _with_flags(queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    """`overdue` and `rereview_due` on each answer, computed by the database from the rules above."""
    return queryset.annotate(overdue=_flag(overdue_q()), rereview_due=_flag(due_for_rereview_q()))


def _edited_by() -> Case:
    """Who wrote the pending revision, when it is an edit by the board ("" otherwise)."""
    author = "pending_revision__created_by__"
    return Case(
        When(
            pending_revision__parent__isnull=False,
            then=Coalesce(NullIf(f"{author}reviewer_profile__display_name", Value("")), f"{author}username"),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def edit_note(answer: Answer) -> str:
    """What the queue says of an answer whose pending revision is an edit by the board
    (`answer_queue()`'s `edited_by`): its author may not review it."""
    name = getattr(answer, "edited_by", "")
    return f"Edited by {name}: needs another reviewer" if name else ""


def answer_queue() -> QuerySet[Answer]:
    """The answer list: everything the list shows in one query per page.

    `waiting_rank` orders answers that wait for someone first (in review,
    then due for re-review), then the rest; each group oldest first.
    `overdue` and `rereview_due` flag answers past their SLA or review date;
    `edited_by` names the author of a pending edit by the board (`edit_note`).
    """
    queryset = Answer.objects.select_related("question__specialty", "reviewer").annotate(
        waiting_rank=Case(
            When(status__in=WAITING, then=Value(0)),
            When(due_for_rereview_q(), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        edited_by=_edited_by(),
    )
    return _with_flags(queryset)


def waiting_for_q(user) -> Q:
    """Submitted answers this board member may claim: assigned to them or to nobody, and theirs to
    review (`editorial.access.rights.reviewable_by_q`: not their own draft, within their specialties)."""
    return Q(status=Status.SUBMITTED) & (Q(reviewer=user) | Q(reviewer__isnull=True)) & rights.reviewable_by_q(user)


def in_review_by_q(user) -> Q:
    return Q(status__in=HELD_STATUSES, reviewer=user)


def awaiting_second_review_for_q(user) -> Q:
    """High-risk answers approved once that this board member may take for their second review
    (`editorial.access.rights.second_review_q`: not the first approver, not an author)."""
    return rights.second_review_q(user)


def due_for_rereview_by_q(user) -> Q:
    """Approved answers due for re-review that this board member may re-approve (`rights.may_reaffirm`)."""
    return (
        due_for_rereview_q()
        & ~Q(live_revision__created_by=user)
        & rights.holds_specialty_q(user)
        & rights.no_conflict_q(user, "live_revision_id")
    )


# The desk queues, by name: the admin index counts them and the list filters by them.
DESK_QUEUES = {
    "waiting": ("Waiting for me", waiting_for_q),
    "in_review": ("In review by me", in_review_by_q),
    "second": ("Awaiting second review", awaiting_second_review_for_q),
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
        aggregates["second_unassigned"] = Count(
            "pk", filter=Q(status=Status.AWAITING_SECOND_REVIEW, reviewer__isnull=True)
        )
        aggregates["overdue"] = Count("pk", filter=overdue_q())
    if not aggregates:
        return []
    counts = Answer.objects.aggregate(**aggregates)
    labels = {name: label for name, (label, _) in DESK_QUEUES.items()}
    labels |= {
        "unassigned": "Waiting for a reviewer",
        "second_unassigned": "Awaiting a second reviewer",
        "overdue": "Overdue",
    }
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


def _eligible_reviewers(specialty_ids, author_ids, revision_ids) -> QuerySet:
    users = board_members()
    for specialty_id in sorted(specialty_ids):
        users = users.filter(
            rights.may_review_q(specialty_id=specialty_id, author_ids=author_ids, revision_ids=revision_ids)
        )
    # Submitted answers assigned to them and answers in their review: what they already have to do.
    return users.annotate(
        open_reviews=Count("reviewing_answers", filter=Q(reviewing_answers__status__in=WAITING), distinct=True)
    )


def eligible_reviewers(answers: QuerySet[Answer]) -> QuerySet:
    """Board members who may review every one of `answers` (`rights.may_review`), each with
    `open_reviews`: two queries, whatever the number of answers and members."""
    rows = set(
        answers.order_by()
        .values_list("question__specialty_id", "pending_revision__created_by_id", "pending_revision_id")
        .distinct()
    )
    return _eligible_reviewers({s for s, _, _ in rows}, {a for _, a, _ in rows}, {r for _, _, r in rows})


def specialties_of(answers: QuerySet[Answer]) -> list[str]:
    """The names of the specialties of `answers`, for the assign page to say whom it offers."""
    return list(
        Specialty.objects.filter(pk__in=answers.order_by().values("question__specialty_id"))
        .order_by("name")
        .values_list("name", flat=True)
    )


def eligible_reviewers_of(answer: Answer) -> QuerySet:
    """`eligible_reviewers` of one answer already loaded (its question and pending revision): one query."""
    author = answer.pending_revision.created_by_id if answer.pending_revision_id else None
    return _eligible_reviewers({answer.question.specialty_id}, {author}, {answer.pending_revision_id})


def _citations_with_verdicts() -> QuerySet[Citation]:
    return Citation.objects.select_related("verdict__reviewer", "verdict__waived_by", "verdict__carried_from").order_by(
        "number"
    )


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
            "pending_revision__parent",
            "pending_revision__review",  # its tier and first approver: the two-approvals rules read them
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


def next_waiting(user, *, after: Answer | None = None) -> Answer | None:
    """The answer a board member reviews next: the first of their "Waiting for me" queue, in the
    queue's order (oldest waiting first), other than `after` (the one just decided)."""
    queryset = Answer.objects.filter(waiting_for_q(user)).select_related("question")
    if after is not None:
        queryset = queryset.exclude(pk=after.pk)
    return queryset.order_by("status_changed_at", "pk").first()
