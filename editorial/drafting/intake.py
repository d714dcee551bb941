"""Drafts as drafting systems send them: the JSON contract, its rules, and intake.

The API and `manage.py import_drafts` read the same JSON through this module:

1. `DraftIn` checks shapes and types (pydantic, strict: no "1" for 1);
2. `draft_problems()` checks what a schema cannot say: section bodies that are
   blank, citation numbers that are not exactly 1..n, markers in the text
   that point at no citation, unknown specialties, malformed DOIs and PMIDs,
   years in the future;
   the rules of the content itself (sections and citations: `SectionIn`,
   `CitationIn`, `content_problems`) live in `editorial.review.content`, shared
   with the board's edits in the review, which obey exactly the same rules;
3. `draft_receive()` stores it through `services.draft_submit`, idempotent on
   `external_id` (each drafting system's own: unique per submitting user).

Every problem is reported against its field path, e.g. `sections[2].body`
(indexes count from 0, as in the JSON array).
"""

import hashlib
import json
from typing import Literal

import pydantic
from django.db import transaction
from django.utils.text import Truncator
from pydantic import ConfigDict, Field

from answers import clock
from answers.models import Audience, FollowUpQuestion, FollowUpStatus, Revision, Specialty
from editorial.access.roles import is_drafting_system
from editorial.audit import effects
from editorial.errors import Conflict, Invalid, InvalidState, NotAllowed, Problem
from editorial.models import ApiToken, AuditAction, DraftReceipt
from editorial.review import services
from editorial.review.content import (  # noqa: F401  (DOI_RE, PMID_RE, SectionIn, CitationIn: the contract's names)
    CITATIONS_FIELD,
    CONTENT_INVALID,
    DOI_RE,
    PMID_RE,
    SECTION_BODY_MAX,
    SECTIONS_FIELD,
    CitationIn,
    Citations,
    SectionIn,
    Sections,
    content_problems,
    field_path,
    problems_from_pydantic,
    text_problems,
    valid_url,
)
from editorial.webhooks import addresses

# What the API says above the list of problems of a refused draft.
DRAFT_INVALID = CONTENT_INVALID

AudienceName = Literal[tuple(Audience.values)]  # type: ignore[valid-type]


class _Strict(pydantic.BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class ModelIn(_Strict):
    name: str = Field(min_length=1, max_length=120)
    version: str = Field(min_length=1, max_length=60)


class DraftIn(_Strict):
    external_id: str = Field(min_length=1, max_length=200, description="The drafting system's own id for this draft.")
    question: str = Field(min_length=1, max_length=1000)
    specialty: str = Field(min_length=1, max_length=120, description="A specialty slug, e.g. cardiology.")
    audience: AudienceName = Audience.PROFESSIONAL  # type: ignore[valid-type]
    sections: Sections = Field(**SECTIONS_FIELD)
    citations: Citations = Field(default_factory=list, **CITATIONS_FIELD)
    model: ModelIn
    callback_url: str | None = Field(None, max_length=500, description="Where decisions are POSTed (signed).")
    risk: Literal["standard", "high"] | None = Field(
        None, description='"high" raises the revision\'s risk tier (two approvals, shorter re-review); never lowers it.'
    )

    # pydantic reserves the `model_` prefix; `model` itself is part of the contract.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        protected_namespaces=(),
        json_schema_extra={
            "examples": [
                {
                    "external_id": "medrafter-2026-000123",
                    "question": "What is the first-line treatment for iron deficiency anaemia in adults?",
                    "specialty": "hematology-oncology",
                    "audience": "professional",
                    "sections": [
                        {"heading": "From the Guidelines", "body": "Oral iron is first line [1]."},
                        {"heading": "Key Findings", "body": "- Intravenous iron when oral iron fails [2]."},
                    ],
                    "citations": [
                        {"number": 1, "title": "Guideline on iron deficiency", "year": 2021, "pmid": "12345678"},
                        {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
                    ],
                    "model": {"name": "medrafter", "version": "2.1"},
                    "callback_url": "https://drafter.example.org/hooks/vetted",
                }
            ]
        },
    )


def parse_draft(data) -> DraftIn:
    """A decoded JSON value -> DraftIn, or Invalid naming every bad field."""
    if not isinstance(data, dict):
        raise Invalid([Problem("body", "A draft is a JSON object.")], detail=DRAFT_INVALID)
    try:
        return DraftIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise Invalid(problems_from_pydantic(exc.errors()), detail=DRAFT_INVALID) from None


def draft_problems(draft: DraftIn) -> list[Problem]:
    """Every rule a schema cannot express, as field problems (empty: the draft is valid)."""
    problems = text_problems(draft.model_dump())
    if problems:
        return problems  # the database could not even store these strings; stop here
    if not draft.external_id.strip():
        problems.append(Problem("external_id", "May not be blank."))
    if not draft.question.strip():
        problems.append(Problem("question", "A draft needs a question."))
    problems += content_problems(draft.sections, draft.citations)
    if not Specialty.objects.filter(slug=draft.specialty).exists():
        problems.append(Problem("specialty", f"Unknown specialty {draft.specialty!r}."))
    if draft.callback_url:
        refused = addresses.url_problem(draft.callback_url) if valid_url(draft.callback_url) else "Not an http(s) URL."
        if refused:
            problems.append(Problem("callback_url", refused))
    return problems


def payload_hash(draft: DraftIn) -> str:
    # Fields added to the contract later stay out of the digest when absent, so a retry of a
    # draft stored before them still matches its receipt.
    later = {name for name in ("risk",) if getattr(draft, name) is None}
    content = draft.model_dump(mode="json", exclude=later)
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _service_draft(draft: DraftIn) -> services.Draft:
    return services.Draft(
        question=draft.question,
        specialty=Specialty.objects.get(slug=draft.specialty),
        audience=draft.audience,
        sections=[{"heading": s.heading.strip(), "body": s.body} for s in draft.sections],
        citations=[c.model_dump() for c in draft.citations],
        model_name=draft.model.name,
        model_version=draft.model.version,
        external_id=draft.external_id,
        risk=draft.risk or "",
    )


def _replay(user, external_id: str, digest: str) -> DraftReceipt | None:
    """The user's earlier receipt for a retried draft, None if new; Conflict if the id was used for other content.

    External ids are the drafting system's own: looked up among the user's
    drafts only, so one system can neither see nor block another's ids.
    """
    receipt = (
        DraftReceipt.objects.select_related("revision")
        .filter(external_id=external_id, revision__created_by=user)
        .first()
    )
    if receipt is not None:
        if receipt.payload_hash != digest:
            raise Conflict(f"external_id {external_id!r} was already submitted with other content.")
        return receipt
    if Revision.objects.filter(external_id=external_id, created_by=user).exists():
        raise Conflict(f"external_id {external_id!r} is already used by another revision.")
    return None


# Submissions of one draft: the first, and again after colliding with a concurrent one.
SUBMIT_ATTEMPTS = 3


def draft_receive(*, acting_user, draft: DraftIn, token: ApiToken | None = None) -> tuple[DraftReceipt, bool]:
    """Validate and submit a draft; returns (receipt, created).

    1. refuse invalid content (Invalid) before touching anything;
    2. answer a retry of the same external id and content with the first receipt;
    3. otherwise submit through `services.draft_submit` and keep the receipt in
       the same transaction, so a refusal (409 from the state) writes nothing.

    Concurrent submissions: a refusal (the answer's state, a collision on the
    question or the external id) is checked against the receipts again, since
    the draft that won may be this very one, sent twice: a retry is always
    answered with the receipt. A collision with a different draft is tried
    again against what the winner committed (a later revision, or a clean 409
    naming the state).
    """
    problems = draft_problems(draft)
    if problems:
        raise Invalid(problems, detail=DRAFT_INVALID)
    digest = payload_hash(draft)
    receipt = _replay(acting_user, draft.external_id, digest)
    if receipt is not None:
        return receipt, False
    for attempt in range(1, SUBMIT_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                revision = services.draft_submit(acting_user=acting_user, draft=_service_draft(draft))
                receipt = DraftReceipt.objects.create(
                    revision=revision,
                    external_id=draft.external_id,
                    payload_hash=digest,
                    token=token,
                    callback_url=draft.callback_url or "",
                )
            return receipt, True
        except (Conflict, InvalidState) as refusal:
            # A concurrent retry of the same draft may have won the race: answer it like a retry.
            receipt = _replay(acting_user, draft.external_id, digest)
            if receipt is not None:
                return receipt, False
            if isinstance(refusal, InvalidState) or attempt == SUBMIT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# -- readers' follow-up questions -------------------------------------------


def followup_claim(*, acting_user, question_id: int) -> FollowUpQuestion:
    """Claim a pending follow-up question for drafting; only one drafting system can win.

    The claim is a conditional update (`status=pending` in the WHERE clause):
    of two systems claiming at once exactly one changes the row. Claiming a
    question one already holds answers the same again (a safe retry).
    """
    if not is_drafting_system(acting_user):
        raise NotAllowed("Only drafting systems may claim follow-up questions.")
    with transaction.atomic():
        now = clock.now()
        won = FollowUpQuestion.objects.filter(pk=question_id, status=FollowUpStatus.PENDING).update(
            status=FollowUpStatus.CLAIMED, claimed_by=acting_user, claimed_at=now
        )
        question = FollowUpQuestion.objects.select_related("answer").get(pk=question_id)
        if not won:
            if question.status == FollowUpStatus.CLAIMED and question.claimed_by_id == acting_user.pk:
                return question
            raise InvalidState(
                f"This question cannot be claimed: it is {question.get_status_display().lower()}.",
                state=question.status,
            )
        effects.record(
            action=AuditAction.FOLLOWUP_CLAIM,
            actor=acting_user,
            answer=question.answer,
            data={"follow_up": question.pk, "question": Truncator(" ".join(question.text.split())).chars(200)},
        )
    return question
