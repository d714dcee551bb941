"""PostgreSQL itself refuses to change reviewed content (issue 13, finding 7).

The models refuse `save()`, `update()` and `delete()`, but `_base_manager` and
plain SQL go around them; the triggers on revisions, sections and citations
do not.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from answers.models import Citation, Revision, Section, Signature, Status

pytestmark = pytest.mark.postgres

TABLES = {
    Revision: "model_name = 'x'",
    Section: "body = 'Edited after approval.'",
    Citation: "title = 'x'",
    Signature: "printed_name = 'Someone else'",
}


def test_the_base_manager_cannot_change_an_approved_section(answer_in):
    answer = answer_in(Status.APPROVED)
    section = Section.objects.filter(revision=answer.live_revision).first()
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        Section._base_manager.filter(pk=section.pk).update(body="Edited after approval.")
    section.refresh_from_db()
    assert section.body == "Oral iron first [1]."


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET {change}", "DELETE FROM {table}"])
def test_plain_sql_cannot_update_or_delete(answer_in, model, statement):
    answer_in(Status.APPROVED)
    before = list(model.objects.order_by("pk").values())
    sql = statement.format(table=model._meta.db_table, change=TABLES[model])
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
def test_plain_sql_cannot_truncate(answer_in, model):
    answer_in(Status.APPROVED)
    count = model.objects.count()
    with pytest.raises(DatabaseError, match="written once"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the deferred foreign key checks refuse first
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    assert model.objects.count() == count


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_flush_between_transactional_tests_still_empties_the_tables(answer_in):
    """This test's own teardown is Django's flush (a TRUNCATE), which ignores the triggers."""
    answer_in(Status.APPROVED)
    assert Section.objects.exists()
