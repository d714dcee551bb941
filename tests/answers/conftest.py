"""Reader-site fixtures: an isolated cache per test, approved answers and their new revisions."""

import pytest

from answers import clock
from answers.models import Answer, Status
from editorial.review import services
from tests.factories import APPROVAL, at, verify_citations


@pytest.fixture(autouse=True)
def _isolated_cache(isolated_cache):
    """Cached pages and rate-limit counters of one reader test never reach another."""


@pytest.fixture
def approved(answer_in):
    """An approved answer, approved on `day` (the clock moved there)."""

    def _approved(day: str = "2025-03-24", **overrides) -> Answer:
        with clock.travel(at(day)):
            return answer_in(Status.APPROVED, **overrides)

    return _approved


@pytest.fixture
def revise(submit, board_member):
    """Submit a new revision of an answer's question and approve it (or leave it pending)."""

    def _revise(answer: Answer, *, body: str, approve: bool = True, day: str = "2026-01-10") -> Answer:
        with clock.travel(at(day)):
            submit(
                question=answer.question.text,
                audience=answer.audience,
                sections=[{"heading": "From the Guidelines", "body": body}],
            )
            if approve:
                answer = services.answer_start_review(acting_user=board_member, answer=answer)
                verify_citations(board_member, answer)
                answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
        answer.refresh_from_db()
        return answer

    return _revise
