"""Data migrations of the editorial app, run backwards and forwards on real rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from answers.models import Status
from editorial.models import CitationVerdict
from editorial.review import checks


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

    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("editorial")
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
