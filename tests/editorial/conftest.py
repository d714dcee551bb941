"""Fixtures shared by the editorial tests, and helpers for the reviewer's desk (admin) tests."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from answers import clock
from answers.models import Answer, Question, ReviewerProfile, Revision
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


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(task, at): run a periodic task at a moment, with what it queues on commit."""

    def _run(task, at):
        with clock.travel(at), django_capture_on_commit_callbacks(execute=True):
            return task.apply().get()

    return _run


@pytest.fixture
def purged_queue():
    """For tests with a real worker: drop the messages an earlier, interrupted run left in this Redis db."""
    from tests.support.workers import purge_queue

    purge_queue()


@pytest.fixture
def nothing_written(db):
    """nothing_written(): assert that a refused draft left no question, answer, revision or audit event."""

    def _check():
        assert not Revision.objects.exists()
        assert not Answer.objects.exists()
        assert not Question.objects.exists()
        assert not AuditEvent.objects.exists()

    return _check
