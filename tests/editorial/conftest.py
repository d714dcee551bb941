"""Fixtures shared by the editorial tests: tasks run in the test's process or on a clean
queue, and the check that a refused draft wrote nothing."""

import pytest

from answers import clock
from answers.models import Answer, Question, Revision
from editorial.models import AuditEvent


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
