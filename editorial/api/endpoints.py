"""The drafting API's endpoints: thin wrappers over `editorial.drafting.intake` and the selectors."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router
from ninja import Status as Reply
from pydantic import BeforeValidator

from answers.models import Answer, Specialty, Status
from editorial.api import selectors
from editorial.api.errors import ERRORS
from editorial.api.schemas import (
    AnswerPage,
    ClaimOut,
    DraftCreatedOut,
    DraftOut,
    PendingQuestionPage,
)
from editorial.drafting import intake
from editorial.drafting.intake import DraftIn
from editorial.errors import Invalid, Problem

router = Router(tags=["drafting"])

MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
BAD_QUERY = "The query is invalid."


def _iso_8601(value):
    """Query strings only as ISO 8601: pydantic would also read '-123554' as a Unix timestamp."""
    if isinstance(value, str) and value.lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("Expected an ISO 8601 date and time, e.g. 2026-03-01T09:00:00Z.")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_8601)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]


def _public_url(request, answer: Answer) -> str | None:
    return request.build_absolute_uri(answer.get_absolute_url()) if answer.is_public else None


def _page(request, queryset, page: int, page_size: int) -> tuple[list, int, str | None]:
    count = queryset.count()
    items = list(queryset[(page - 1) * page_size : page * page_size])
    next_url = None
    if page * page_size < count:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return items, count, next_url


def _only_query(request, *allowed: str) -> None:
    """Unknown query parameters are refused, not ignored: a misspelt filter must not pass silently."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        problems = [Problem(name or "(empty name)", "Unknown query parameter.") for name in unknown]
        raise Invalid(problems, detail=BAD_QUERY)


def _as_utc(moment: datetime) -> datetime:
    """Naive means UTC; a moment that cannot be expressed in UTC (year 1 at +14:00) is a 400."""
    try:
        return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment.astimezone(UTC)
    except OverflowError:
        raise Invalid([Problem("updated_since", "Out of range.")], detail=BAD_QUERY) from None


@router.post(
    "/drafts/",
    response={200: DraftCreatedOut, 201: DraftCreatedOut, **ERRORS},
    url_name="draft-submit",
    summary="Submit a draft (a new answer, or a new revision of one)",
)
def draft_submit(request, draft: DraftIn):
    """201 for a new draft; 200 with the same body when the same `external_id` and content come again."""
    _only_query(request)
    receipt, created = intake.draft_receive(acting_user=request.auth.user, draft=draft, token=request.auth)
    revision = receipt.revision
    body = {
        "id": revision.pk,
        "answer_id": revision.answer_id,
        "revision": revision.number,
        "status": Status.SUBMITTED,
        "url": request.build_absolute_uri(reverse("api-v1:draft-detail", args=[revision.pk])),
    }
    return Reply(201 if created else 200, body)


@router.get(
    "/drafts/{draft_id}/",
    response={200: DraftOut, **ERRORS},
    url_name="draft-detail",
    summary="A draft's review: status, decisions with reasons, citation verdicts",
)
def draft_detail(request, draft_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    _only_query(request)
    revision = selectors.draft_for_user(revision_id=draft_id, user=request.auth.user)
    detail = selectors.draft_detail(revision)
    detail["public_url"] = _public_url(request, revision.answer)
    return Reply(200, detail)


@router.get(
    "/answers/",
    response={200: AnswerPage, **ERRORS},
    url_name="answer-list",
    summary="Answers you drafted, oldest change first, for polling decisions",
    description="`last_decision` is the latest decision when it was made on a revision you submitted, else null.",
)
def answer_list(
    request,
    status: StatusName | None = None,  # type: ignore[valid-type]
    updated_since: Annotated[
        IsoDateTime | None, Query(description="ISO 8601; changes at or after this moment.")
    ] = None,
    specialty: Annotated[str | None, Query(max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")] = None,
    page: PageNumber = 1,
):
    _only_query(request, "status", "updated_since", "specialty", "page")
    if specialty and not Specialty.objects.filter(slug=specialty).exists():
        raise Invalid([Problem("specialty", f"Unknown specialty {specialty!r}.")], detail=BAD_QUERY)
    if updated_since is not None:
        updated_since = _as_utc(updated_since)
    answers = selectors.answers_for_drafter(
        user=request.auth.user, status=status, updated_since=updated_since, specialty=specialty
    )
    items, count, next_url = _page(request, answers, page, settings.API_PAGE_SIZE)
    decisions = selectors.last_decisions([a.pk for a in items], user=request.auth.user)
    return Reply(
        200,
        {
            "count": count,
            "page": page,
            "next": next_url,
            "items": [
                selectors.answer_summary(a, last_decision=decisions.get(a.pk), public_url=_public_url(request, a))
                for a in items
            ],
        },
    )


@router.get(
    "/questions/pending/",
    response={200: PendingQuestionPage, **ERRORS},
    url_name="question-pending",
    summary="Readers' follow-up questions waiting for a draft",
)
def questions_pending(request, page: PageNumber = 1):
    _only_query(request, "page")
    items, count, next_url = _page(request, selectors.pending_questions(), page, settings.API_PAGE_SIZE)
    return Reply(
        200,
        {
            "count": count,
            "page": page,
            "next": next_url,
            "items": [selectors.pending_question_summary(q) for q in items],
        },
    )


@router.post(
    "/questions/{question_id}/claim/",
    response={200: ClaimOut, **ERRORS},
    url_name="question-claim",
    summary="Claim a follow-up question so no other drafting system drafts it",
)
def question_claim(request, question_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    _only_query(request)
    question = intake.followup_claim(acting_user=request.auth.user, question_id=question_id)
    return Reply(200, {"id": question.pk, "status": question.status, "claimed_at": question.claimed_at})
