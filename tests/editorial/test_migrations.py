"""Data migrations of the editorial app, run backwards and forwards on real rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from answers.models import Status
from editorial.models import CitationVerdict
from editorial.review import checks


def _graph():
    return MigrationExecutor(connection).loader.graph


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0007_fills_each_verdicts_revision_from_its_citation(answer_in, board_member):
    approved = answer_in(Status.APPROVED)  # both citations verified
    writer = answer_in(Status.UNDER_REVIEW, question="Is iron safe in pregnancy?", model_name="guideline-writer")
    writer.refresh_from_db()
    checks.citation_verdict_record(
        acting_user=board_member, citation=writer.pending_revision.citations.first(), verdict="unverifiable"
    )
    expected = dict(CitationVerdict.objects.values_list("pk", "citation__revision"))
    assert len(expected) == 3 and len(set(expected.values())) == 2
    assert approved.live_revision_id in expected.values()

    leaf = [*_graph().leaf_nodes("answers"), *_graph().leaf_nodes("editorial")]
    try:
        _migrate([("editorial", "0006_drafting_api")])  # drops the column, keeps the verdicts
        with connection.cursor() as cursor:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, "editorial_citationverdict")
            ]
        assert "revision_id" not in columns
    finally:
        _migrate(leaf)  # adds it again, filled from the citations

    assert dict(CitationVerdict.objects.values_list("pk", "revision")) == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0015_unfreezes_rejected_redrafts_and_gives_every_revision_its_review(answer_in, submit, board_member):
    """Answers frozen by the old rule (rejected with a live revision) are published again,
    and every revision gets its own review, read from where it stands and the audit trail."""
    from answers.models import Answer, RevisionReview
    from editorial.review import services

    frozen = answer_in(Status.APPROVED)
    redraft = services.answer_start_review(
        acting_user=board_member, answer=submit(sections=[{"heading": "H", "body": "Changed [1]."}])
    )
    services.answer_reject(acting_user=board_member, answer=redraft, reason="Wrong dose.")
    answer_in(Status.CHANGES_REQUESTED, question="Is iron safe in pregnancy?")
    answer_in(Status.UNDER_REVIEW, question="Is ferritin enough?")
    expected = dict(RevisionReview.objects.values_list("revision_id", "state"))
    assert sorted(expected.values()) == ["approved", "changes_requested", "rejected", "under_review"]

    leafs = [*_graph().leaf_nodes("answers"), *_graph().leaf_nodes("editorial")]
    try:
        _migrate([("answers", "0006_revision_external_id_per_submitter")])  # takes editorial 0015 back too
        Answer.objects.filter(pk=frozen.pk).update(status=Status.REJECTED)  # the state the old rule left
    finally:
        _migrate(leafs)

    frozen.refresh_from_db()
    assert frozen.status == Status.APPROVED and frozen.is_public
    assert dict(RevisionReview.objects.values_list("revision_id", "state")) == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0017_gives_each_comment_the_revision_it_was_written_on(answer_in, submit, board_member, editor):
    """Comments written before they belonged to a revision get the newest revision of their answer then."""
    from answers.models import Answer
    from editorial.models import Comment

    answer = answer_in(Status.APPROVED)
    on_first = checks.comment_add(acting_user=editor, answer=answer, body="On revision 1.")
    second = submit(sections=[{"heading": "H", "body": "Changed [1]."}])
    on_second = checks.comment_add(acting_user=board_member, answer=second, body="On revision 2.", section=1)
    other = answer_in(Status.SUBMITTED, question="Is iron safe in pregnancy?")
    on_other = checks.comment_add(acting_user=editor, answer=other, body="Elsewhere.")
    expected = {
        on_first.pk: Answer.objects.get(pk=answer.pk).live_revision_id,
        on_second.pk: Answer.objects.get(pk=answer.pk).pending_revision_id,
        on_other.pk: Answer.objects.get(pk=other.pk).pending_revision_id,
    }
    assert len(set(expected.values())) == 3
    assert dict(Comment.objects.values_list("pk", "revision")) == expected

    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("editorial")
    try:
        _migrate([("editorial", "0015_revision_withdraw_and_reviews")])  # drops the anchors, keeps the comments
    finally:
        _migrate(leaf)  # the revision again, from the answer's revisions and the comment's time

    assert dict(Comment.objects.values_list("pk", "revision")) == expected
    assert set(Comment.objects.values_list("section", flat=True)) == {None}  # anchors are not guessed back
