"""What readers may see, shaped once so a page's cost does not grow with the data.

Readers see an answer's live (approved) revision. Content still in review is
shown only with `settings.SHOW_PENDING_ANSWERS`, flagged as pending, and never
in listings, search or the sitemap. A retracted answer is gone, with a notice.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from answers.models import (
    Answer,
    Audience,
    Citation,
    Question,
    ReviewerProfile,
    Section,
    Specialty,
    Status,
)

PENDING_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED)


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
    """Full-text search: the question weighs more than the live revision's text."""
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    body = Subquery(
        Section.objects.filter(revision=OuterRef("live_revision"))
        .values("revision")
        .annotate(text=StringAgg("body", delimiter=" "))
        .values("text")
    )
    vector = SearchVector("question__text", weight="A", config="english") + SearchVector(
        Coalesce(body, Value(""), output_field=TextField()), weight="B", config="english"
    )
    search = SearchQuery(query, search_type="websearch", config="english")
    words = _positive_words(query)
    if words:
        # Narrow through the GIN indexes (migration 0002_search_indexes) to the answers whose
        # question or live text holds one of the words; only those get a vector built and ranked.
        any_word = reduce(operator.or_, (SearchQuery(word, config="english") for word in words))
        in_question = Question.objects.annotate(v=SearchVector("text", config="english")).filter(v=any_word)
        in_text = Section.objects.annotate(v=SearchVector("body", config="english")).filter(v=any_word)
        answers = answers.filter(
            Q(question__in=in_question.values("pk")) | Q(live_revision__in=in_text.values("revision"))
        )
    return (
        answers.annotate(search=vector, rank=SearchRank(vector, search))
        .filter(search=search)
        .order_by("-rank", "-last_updated", "-id")
    )


def _positive_words(query: str) -> list[str]:
    """The words a match must contain at least one of, or [] when that cannot be said.

    A websearch query matches only texts holding one of its words, unless it
    negates one (`-word`): then a text holding none of them can match, so no
    narrowing is safe.
    """
    tokens = query.replace('"', " ").split()
    if any(token.startswith("-") for token in tokens):
        return []
    return [token for token in tokens if token.lower() != "or"]


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
    if answer.live_revision_id and answer.status != Status.RETRACTED:
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


def revision_content(revision_id: int) -> tuple[list[Section], list[Citation]]:
    """A revision's sections and citations: two queries, whatever their number."""
    sections = list(Section.objects.filter(revision_id=revision_id).order_by("position"))
    citations = list(Citation.objects.filter(revision_id=revision_id).order_by("number"))
    return sections, citations


def sitemap_answers() -> QuerySet[Answer]:
    return Answer.objects.public().select_related("question").order_by("-last_updated", "-id")


def board_members() -> QuerySet[ReviewerProfile]:
    return ReviewerProfile.objects.filter(user__is_active=True).prefetch_related("specialties").order_by("display_name")
