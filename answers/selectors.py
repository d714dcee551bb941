"""What readers may see, shaped once so a page's cost does not grow with the data.

Readers see an answer's live (approved) revision. Content still in review is
shown only with `settings.SHOW_PENDING_ANSWERS`, flagged as pending, and never
in listings, search or the sitemap. A retracted answer is gone, with a notice.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Subquery

from answers.models import (
    BOARD_GROUP,
    PENDING_STATUSES,
    Answer,
    Audience,
    Citation,
    DeclaredInterest,
    ReviewerProfile,
    Section,
    Signature,
    Specialty,
)


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """Run a page's queries against one moment of the database.

    The list page counts, then reads the page's rows, in two statements: an approval
    committed between them made the count one short and the newest answer took the
    last place on the page, so a published answer vanished from the list. On
    PostgreSQL the block is one read-only REPEATABLE READ transaction (inside a
    transaction already open, a test's, that one's snapshot rules apply).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def answer_list(*, query: str = "", specialty: str = "") -> QuerySet[Answer]:
    """Approved answers, newest first; ranked by relevance when searching."""
    answers = Answer.objects.public().select_related("question__specialty")
    if specialty:
        answers = answers.filter(question__specialty__slug=specialty)
    query = " ".join(query.split())
    if not query:
        return answers.order_by("-last_updated", "-id")
    if connection.vendor == "postgresql":
        return _search_postgres(answers, query)
    return _search_simple(answers, query)


def _search_postgres(answers: QuerySet[Answer], query: str) -> QuerySet[Answer]:
    """Full-text search over the stored documents (answers/search.py): the question weighs more than the text.

    The match goes through the documents' GIN index and the rank reads the
    stored vectors, so no answer's text is parsed while a reader waits.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search = SearchQuery(query, search_type="websearch", config="english")
    return (
        answers.filter(search__document=search)
        .annotate(rank=SearchRank(F("search__document"), search))
        .order_by("-rank", "-last_updated", "-id")
    )


def _search_simple(answers: QuerySet[Answer], query: str) -> QuerySet[Answer]:
    """SQLite fallback: every word appears in the question or the live text."""
    for word in query.split()[:10]:
        matching_revisions = Section.objects.filter(body__icontains=word).values("revision")
        answers = answers.filter(Q(question__text__icontains=word) | Q(live_revision__in=matching_revisions))
    return answers.order_by("-last_updated", "-id")


def specialties_with_answers() -> QuerySet[Specialty]:
    public = Answer.objects.public().values("question__specialty")
    return Specialty.objects.filter(pk__in=public).order_by("name")


# -- one answer page ------------------------------------------------------------


# What the answer page reads; the rest (the reviewer's password hash, internal
# review fields) stays in the database.
READER_FIELDS = (
    "question__text",
    "question__slug",
    "question__specialty__name",
    "question__specialty__slug",
    "audience",
    "status",
    "pending_revision_id",
    "live_revision_id",
    "approved_by_id",
    "last_updated",
    "last_reviewed",
    "next_review_due",
    "retracted_at",
    "retraction_reason",
    "approved_by__reviewer_profile__display_name",
    "approved_by__reviewer_profile__credentials",
    "approved_by__reviewer_profile__slug",
)


@dataclass(frozen=True)
class ReaderAnswer:
    """The answer a reader gets for a question, and which revision of it."""

    answer: Answer
    revision_id: int
    pending: bool
    requested_audience: str
    # Set when the reader asked for an audience that has no approved answer.
    fallback_from: str = ""

    @property
    def fallback_label(self) -> str:
        return Audience(self.fallback_from).label if self.fallback_from else ""


@dataclass(frozen=True)
class Retracted:
    answer: Answer


def _visible_revision(answer: Answer, *, show_pending: bool) -> tuple[int, bool] | None:
    if answer.is_public:
        return answer.live_revision_id, False
    if show_pending and answer.status in PENDING_STATUSES and answer.pending_revision_id:
        return answer.pending_revision_id, True
    return None


def answer_for_reader(*, slug: str, audience: str) -> ReaderAnswer | Retracted | None:
    """The answer to show for the question `slug` to a reader of `audience`.

    One query. Preference: the approved answer for the reader's audience, then
    the default (professional) one, then any approved one; with
    SHOW_PENDING_ANSWERS, pending content only when nothing is approved.
    Returns `Retracted` when the only thing left to say is that it was
    retracted, None when there is nothing public at all.
    """
    answers = list(
        Answer.objects.filter(question__slug=slug)
        .select_related("question__specialty", "approved_by__reviewer_profile")
        .only(*READER_FIELDS)
        .annotate(
            reviewer_holds_specialty=Exists(_held(OuterRef("approved_by"), OuterRef("question__specialty"))),
            **_interests_stamp(),
        )
    )
    show_pending = settings.SHOW_PENDING_ANSWERS
    visible = {}
    for answer in answers:
        shown = _visible_revision(answer, show_pending=show_pending)
        if shown:
            visible[answer.audience] = (answer, *shown)

    def pick(pending: bool):
        for wanted in (audience, Audience.PROFESSIONAL, *Audience.values):
            if wanted in visible and visible[wanted][2] is pending:
                return visible[wanted]
        return None

    chosen = pick(False) or pick(True)
    if chosen:
        answer, revision_id, pending = chosen
        return ReaderAnswer(
            answer=answer,
            revision_id=revision_id,
            pending=pending,
            requested_audience=audience,
            fallback_from=audience if answer.audience != audience else "",
        )
    retracted = [a for a in answers if a.retracted_at and not a.live_revision_id]
    if retracted:
        return Retracted(answer=max(retracted, key=lambda a: a.retracted_at))
    return None


def _interests_stamp() -> dict:
    """What keys the answer page to its reviewers' declared interests: how many declarations
    the approver and the live revision's signers have, and when one last changed (every save
    sets `changed_at`; a deletion lowers the count). In the answer's own query: a cached page
    still costs one query."""
    reviewers = DeclaredInterest.objects.filter(
        Q(profile__user=OuterRef("approved_by")) | Q(profile__user__signatures__revision=OuterRef("live_revision"))
    ).order_by()
    return {
        "interests_count": Subquery(reviewers.annotate(n=Func("pk", function="COUNT")).values("n")),
        "interests_changed": Subquery(reviewers.annotate(at=Func("changed_at", function="MAX")).values("at")),
    }


def reviewer_declarations(user_ids) -> dict[int, list[DeclaredInterest]]:
    """The declared interests of these users (the answer page's reviewers), by user id: one query."""
    found: dict[int, list[DeclaredInterest]] = {pk: [] for pk in user_ids}
    if not found:
        return found
    for declaration in DeclaredInterest.objects.filter(profile__user_id__in=found).select_related("profile"):
        found[declaration.profile.user_id].append(declaration)
    return found


def _held(user, specialty):
    return ReviewerProfile.specialties.through.objects.filter(reviewerprofile__user=user, specialty=specialty)


def reviewer_specialties(answer: Answer, profile: ReviewerProfile | None) -> list[str]:
    """What the answer page says beside its reviewer's name: the answer's specialty when the
    reviewer holds it (no query: `answer_for_reader` asked), else the specialties they hold."""
    if profile is None:
        return []
    if getattr(answer, "reviewer_holds_specialty", False):
        return [answer.question.specialty.name]
    return list(profile.specialties.order_by("name").values_list("name", flat=True))


def specialty_rule() -> bool:
    """Whether the board reviews only within its specialties: what the reader pages may claim.

    The setting is REVIEW_REQUIRES_SPECIALTY (config/settings.py), enforced by the editorial
    review; `answers` only reads it, to say no more than is configured."""
    return bool(getattr(settings, "REVIEW_REQUIRES_SPECIALTY", False))


def revision_content(revision_id: int) -> tuple[list[Section], list[Citation]]:
    """A revision's sections and citations: two queries, whatever their number."""
    sections = list(Section.objects.filter(revision_id=revision_id).order_by("position"))
    citations = list(Citation.objects.filter(revision_id=revision_id).order_by("number"))
    return sections, citations


def revision_signatures(revision_id: int) -> list[Signature]:
    """The electronic signatures on a revision, oldest first, with each signer's public profile: one query."""
    return list(
        Signature.objects.filter(revision_id=revision_id)
        .select_related("signer__reviewer_profile")
        .order_by("signed_at", "id")
    )


def sitemap_answers() -> QuerySet[Answer]:
    return Answer.objects.public().select_related("question").order_by("-last_updated", "-id")


def board_members() -> QuerySet[ReviewerProfile]:
    """The public board page: profiles of active members of the board group only."""
    return (
        ReviewerProfile.objects.filter(user__is_active=True, user__groups__name=BOARD_GROUP)
        .prefetch_related("specialties", "interests")
        .order_by("display_name")
        .distinct()
    )
