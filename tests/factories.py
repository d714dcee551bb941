"""Small builders for what tests need: users with roles, a specialty, a draft, an
answer brought to any state, verdicts on its citations, and a moment in time.

Plain functions rather than factory_boy: an answer in a state is only believable
when the real services put it there (revisions, audit events, outbox rows), so
the builders call `editorial.review` as a person would, and a handful of
functions needs no dependency. Fixtures in `tests/conftest.py` give the named
users (maya, daniel, edith, ...) built here; `tests/support/bulk.py` writes many
rows at once when a history does not matter.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User

from answers.models import Answer, ReviewerProfile, Specialty, Status
from editorial.access import roles
from editorial.review import checks, services

APPROVAL = settings.APPROVAL_ATTESTATION


def at(day: str, hour: float = 12, *, days: int = 0) -> datetime:
    """A moment (UTC) for `clock.travel`: `day` at `hour` o'clock, `days` later.

    `hour` may pass 24 or hold a fraction: `at("2026-01-05", 9 + 20)` is 05:00 the next day.
    """
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=days, hours=hour)


# -- people --------------------------------------------------------------------


def password_of(user) -> str:
    return f"{user.get_username()}-password"


def user(username: str, *groups: str, staff: bool = True, superuser: bool = False) -> User:
    """A user in `groups` (names from `editorial.access.roles`), signing in with `password_of(user)`."""
    made = User.objects.create_user(
        username=username,
        password=f"{username}-password",
        email=f"{username}@example.org",
        is_staff=staff,
        is_superuser=superuser,
    )
    for name in groups:
        made.groups.add(Group.objects.get(name=name))
    return made


def reviewer_profile(user: User, *, display_name: str, slug: str, credentials: str = "", specialties=()):
    """The public profile a board member needs to review (and readers see)."""
    profile = ReviewerProfile.objects.create(user=user, display_name=display_name, credentials=credentials, slug=slug)
    profile.specialties.add(*specialties)
    return profile


def specialty(name: str = "Hematology/Oncology", slug: str = "hematology-oncology") -> Specialty:
    return Specialty.objects.create(name=name, slug=slug)


# -- drafts and answers ----------------------------------------------------------


def draft(specialty, *, question="What is the first-line treatment for iron deficiency anaemia?", **overrides):
    """A draft as `services.draft_submit` takes it: two sections, two citations (a PMID and a DOI)."""
    fields = {
        "question": question,
        "specialty": specialty,
        "sections": [
            {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
            {"heading": "Key Findings", "body": "- Intravenous iron when oral fails [2]."},
        ],
        "citations": [
            {
                "number": 1,
                "title": "Guideline on iron deficiency",
                "journal": "Blood",
                "year": 2021,
                "pmid": "12345678",
            },
            {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
        ],
        "model_name": "medrafter",
        "model_version": "1.0",
    }
    fields.update(overrides)
    return services.Draft(**fields)


def draft_json(**overrides) -> dict:
    """The same draft as the drafting API's JSON (`POST /api/v1/drafts/`)."""
    payload = {
        "external_id": "medrafter-0001",
        "question": "What is the first-line treatment for iron deficiency anaemia?",
        "specialty": "hematology-oncology",
        "audience": "professional",
        "sections": [
            {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
            {"heading": "Key Findings", "body": "- Intravenous iron when oral iron fails [2]."},
        ],
        "citations": [
            {
                "number": 1,
                "title": "Guideline on iron deficiency",
                "journal": "Blood",
                "year": 2021,
                "pmid": "12345678",
            },
            {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
        ],
        "model": {"name": "medrafter", "version": "1.0"},
    }
    payload.update(overrides)
    return payload


def submitted(*, by, specialty, **overrides) -> Answer:
    """The answer a draft submitted by `by` lands in (a new one, or the next revision of its question)."""
    revision = services.draft_submit(acting_user=by, draft=draft(specialty, **overrides))
    return Answer.objects.get(pk=revision.answer_id)


def record_verdicts(reviewer, answer: Answer, verdicts: list[str]) -> None:
    """One verdict per citation of the pending revision, in citation-number order."""
    answer.refresh_from_db()
    citations = answer.pending_revision.citations.order_by("number")
    for citation, verdict in zip(citations, verdicts, strict=True):
        checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict=verdict)


def verify_citations(reviewer, answer: Answer) -> None:
    """Every citation of the pending revision verified: nothing blocks approval any more."""
    answer.refresh_from_db()
    record_verdicts(reviewer, answer, ["verified"] * answer.pending_revision.citations.count())


def board_member_of(specialty, username: str) -> User:
    """A board member holding `specialty` (made once per test database)."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    made = user(username, roles.BOARD)
    reviewer_profile(made, display_name=f"Dr. {username.title()}", slug=username, specialties=[specialty])
    return made


def second_approval(reviewer, answer: Answer, verdicts: list[str] | None = None) -> Answer:
    """A high-risk answer awaiting its second review: `reviewer` takes it, records a verdict on every
    citation (all verified unless `verdicts`) and approves it."""
    answer = services.answer_start_review(acting_user=reviewer, answer=answer.pk)
    count = answer.pending_revision.citations.count()
    record_verdicts(reviewer, answer, verdicts or ["verified"] * count)
    return services.answer_approve(acting_user=reviewer, answer=answer.pk, attestation=APPROVAL)


def answer_in(status: str, *, drafter, specialty, reviewer, editor, second_reviewer=None, **overrides) -> Answer:
    """An answer brought to `status` through the services: submitted by `drafter`, reviewed by
    `reviewer` (who verifies every citation before approving), retracted by `editor`. A high-risk
    draft approved or retracted gets its second approval from `second_reviewer` (by default a
    board member of the specialty made for it); `AWAITING_SECOND_REVIEW` stops after the first."""
    answer = submitted(by=overrides.pop("acting_user", drafter), specialty=specialty, **overrides)
    if status == Status.SUBMITTED:
        return answer
    answer = services.answer_start_review(acting_user=reviewer, answer=answer)
    if status == Status.UNDER_REVIEW:
        return answer
    if status == Status.CHANGES_REQUESTED:
        answer = services.answer_request_changes(acting_user=reviewer, answer=answer, reason="Fix the dose.")
    elif status == Status.REJECTED:
        answer = services.answer_reject(acting_user=reviewer, answer=answer, reason="Out of scope.")
    else:
        verify_citations(reviewer, answer)
        answer = services.answer_approve(acting_user=reviewer, answer=answer, attestation=APPROVAL)
        if answer.status == Status.AWAITING_SECOND_REVIEW and status != Status.AWAITING_SECOND_REVIEW:
            # A high-risk revision: a second board member of the specialty approves it too.
            answer = second_approval(second_reviewer or board_member_of(specialty, "second-approver"), answer)
        if status == Status.RETRACTED:
            answer = services.answer_retract(acting_user=editor, answer=answer, reason="Guideline changed.")
    answer.refresh_from_db()
    assert answer.status == status
    return answer


# When the board decides in the webhook tests (`decide` fixture).
DECIDED_AT = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
