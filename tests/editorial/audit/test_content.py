"""verify_audit checks approved content against the hash its approval signed (issue 13, finding 7)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers.models import Citation, Section, Status
from editorial.audit.content import verify_approved_content

pytestmark = pytest.mark.postgres


def _tamper(model, sql: str, params: list) -> None:
    """What someone with the database's owner rights can do: turn the triggers off, edit, turn them on."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending foreign key checks
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql.format(table=table), params)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_verify_audit_passes_on_untouched_approved_content(answer_in, capsys):
    answer_in(Status.APPROVED)
    call_command("verify_audit")
    assert "Approved content intact: 1 revisions match the hash their approval signed." in capsys.readouterr().out


def test_verify_audit_names_a_revision_whose_section_was_edited_by_sql(answer_in):
    answer = answer_in(Status.APPROVED)
    revision = answer.live_revision
    _tamper(Section, "UPDATE {table} SET body = %s WHERE revision_id = %s", ["Double the dose.", revision.pk])
    assert Section.objects.filter(revision=revision, body="Double the dose.").exists()  # what readers now see
    with pytest.raises(CommandError, match=f"Revision {revision.pk} of answer {answer.pk}: its stored sections"):
        call_command("verify_audit")


def test_verify_audit_names_a_revision_whose_citation_was_removed(answer_in):
    answer = answer_in(Status.APPROVED)
    revision = answer.live_revision
    # Its verdict refers to it: remove that first (the verdicts table has no trigger).
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM editorial_citationverdict WHERE citation_id IN "
            "(SELECT id FROM answers_citation WHERE revision_id = %s AND number = 2)",
            [revision.pk],
        )
    _tamper(Citation, "DELETE FROM {table} WHERE revision_id = %s AND number = 2", [revision.pk])
    with pytest.raises(CommandError, match=f"Revision {revision.pk} of answer {answer.pk}"):
        call_command("verify_audit")


def test_only_the_changed_revision_is_named(answer_in):
    untouched = answer_in(Status.APPROVED)
    changed = answer_in(Status.APPROVED, question="Is iron safe in pregnancy?")
    _tamper(Section, "UPDATE {table} SET heading = %s WHERE revision_id = %s", ["x", changed.live_revision_id])
    checked, mismatches = verify_approved_content()
    assert checked == 2
    assert {m.revision_id for m in mismatches} == {changed.live_revision_id}  # each approval of it (two: high risk)
    assert untouched.live_revision_id != changed.live_revision_id


def test_the_check_is_set_based(answer_in):
    """Queries per batch, not per revision."""
    answer_in(Status.APPROVED)
    with CaptureQueriesContext(connection) as one:
        verify_approved_content()
    for n in range(3):
        answer_in(Status.APPROVED, question=f"Question {n}?")
    with CaptureQueriesContext(connection) as four:
        assert verify_approved_content()[0] == 4
    assert len(four) == len(one)
    with CaptureQueriesContext(connection) as batched:
        assert verify_approved_content(batch_size=2)[0] == 4
    assert len(batched) == len(one) + 3  # one more batch: its revisions, sections, citations
