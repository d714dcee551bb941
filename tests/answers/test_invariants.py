"""The invariants of an answer's state are the database's to enforce: each
CheckConstraint refuses a row that breaks it, whatever wrote it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from answers import clock
from answers.models import Answer, Status

pytestmark = pytest.mark.django_db


def _refused(answer: Answer, constraint: str, **fields) -> str:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(**fields)
    assert constraint in str(refused.value)
    return str(refused.value)


def test_an_approved_answer_has_a_live_revision(answer_in):
    answer = answer_in(Status.APPROVED)
    _refused(answer, "approved_has_live_revision", live_revision=None)


def test_a_submitted_or_reviewed_answer_has_a_pending_revision(answer_in):
    _refused(answer_in(Status.SUBMITTED), "in_review_has_pending_revision", pending_revision=None)
    reviewed = answer_in(Status.UNDER_REVIEW, question="Is ferritin enough to diagnose iron deficiency?")
    _refused(reviewed, "in_review_has_pending_revision", pending_revision=None)


def test_an_answer_under_review_has_a_reviewer(answer_in):
    _refused(answer_in(Status.UNDER_REVIEW), "under_review_has_reviewer", reviewer=None)


def test_a_retracted_answer_is_dated_and_shows_nothing(answer_in):
    retracted = answer_in(Status.RETRACTED)
    _refused(retracted, "retracted_is_dated_and_not_live", retracted_at=None)
    approved = answer_in(Status.APPROVED, question="Is ferritin enough to diagnose iron deficiency?")
    _refused(approved, "retracted_is_dated_and_not_live", status=Status.RETRACTED, retracted_at=clock.now())


def test_only_published_content_is_due_for_re_review(answer_in):
    _refused(answer_in(Status.SUBMITTED), "review_due_only_when_live", review_due=True)


def test_published_content_never_sits_in_a_never_published_state(answer_in):
    approved = answer_in(Status.APPROVED)
    _refused(approved, "never_published_states_have_no_live_revision", status=Status.REJECTED)
    _refused(approved, "never_published_states_have_no_live_revision", status=Status.NEW)


def test_rows_that_keep_the_invariants_are_accepted(answer_in):
    answer = answer_in(Status.APPROVED)
    assert Answer.objects.filter(pk=answer.pk).update(review_due=True) == 1


def _graph():
    return MigrationExecutor(connection).loader.graph


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_names_the_answers_that_break_an_invariant(answer_in):
    answer = answer_in(Status.UNDER_REVIEW)
    # Every app's leaf: taking answers back also takes back the editorial migrations that
    # depend on it (editorial 0016 drops a table), which must all come back afterwards.
    leaf = [*_graph().leaf_nodes("answers"), *_graph().leaf_nodes("editorial")]
    try:
        _migrate([("answers", "0004_revisions_written_once")])
        Answer.objects.filter(pk=answer.pk).update(reviewer=None)  # no constraint holds it back here
        with pytest.raises(RuntimeError) as refused:
            _migrate(leaf)
        assert f"under_review_has_reviewer: answers {answer.pk}" in str(refused.value)
        assert "in_review_has_pending_revision" not in str(refused.value)
    finally:
        Answer.objects.filter(pk=answer.pk).update(reviewer=answer.reviewer)
        _migrate(leaf)
