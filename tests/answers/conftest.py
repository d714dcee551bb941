"""Reader-site helpers: an isolated cache per test, and answers in any state."""

import uuid
from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from answers import clock
from answers.models import Answer, Status
from editorial.review import services
from tests.conftest import APPROVAL, verify_citations


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test gets its own key space in the configured cache (Redis when REDIS_URL is set),
    so cached pages and rate-limit counters never leak between tests, and nothing is flushed."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {name: {**config, "KEY_PREFIX": prefix} for name, config in django_settings.CACHES.items()}


def at(day: str, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hour:02d}:00"))


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
