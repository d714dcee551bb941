"""Fixtures and helpers for the reviewer's desk (admin) tests."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from answers.models import Answer, ReviewerProfile
from editorial.access import roles
from editorial.models import AuditEvent
from tests.conftest import _user


@pytest.fixture
def author(db, specialty):
    """A board member who also drafts (as an editor may): the author of the revisions they submit."""
    user = _user("arthur", group=roles.BOARD)
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    profile = ReviewerProfile.objects.create(user=user, display_name="Dr. Arthur Lee", slug="arthur-lee")
    profile.specialties.add(specialty)
    return user


def password_of(user) -> str:
    return f"{user.get_username()}-password"


def review_url(answer: Answer) -> str:
    return reverse("admin:answers_answer_change", args=[answer.pk])


def transition_url(answer: Answer, name: str) -> str:
    return reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": name})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def event_count(answer: Answer) -> int:
    return AuditEvent.objects.filter(answer_id=answer.pk).count()


def reloaded(answer: Answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)


@pytest.fixture
def eager():
    """Run queued tasks in the test's process, even when REDIS_URL is set (real workers have their own tests)."""
    from config.celery import app

    previous = app.conf.task_always_eager  # read first: app.conf loads the Django settings lazily
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
