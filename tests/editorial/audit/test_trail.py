import pgtrigger
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from answers.models import ImmutableError, Status
from editorial.audit.trail import GENESIS, audit_record, verify_chain
from editorial.models import AuditEvent


def _table() -> str:
    return AuditEvent._meta.db_table


def test_every_transition_writes_one_event_with_who_what_and_hash(answer_in, board_member):
    answer = answer_in(Status.APPROVED)
    actions = list(answer.audit_events.order_by("id").values_list("action", "from_state", "to_state"))
    assert actions == [
        ("vetted.answer.submit", "new", "submitted"),
        ("vetted.answer.start_review", "submitted", "under_review"),
        ("vetted.citation.verdict", "under_review", "under_review"),
        ("vetted.citation.verdict", "under_review", "under_review"),
        ("vetted.answer.approve", "under_review", "approved"),
    ]
    approve = answer.audit_events.get(action="vetted.answer.approve")
    assert approve.actor == board_member
    assert approve.actor_label.startswith("maya")
    assert approve.revision == answer.live_revision
    assert approve.revision_hash == answer.live_revision.content_hash
    assert approve.data["attestation"].startswith("I have reviewed this answer")


def test_a_reason_is_recorded(answer_in, board_member):
    answer = answer_in(Status.REJECTED)
    assert answer.audit_events.get(action="vetted.answer.reject").reason == "Out of scope."


def test_events_cannot_be_changed_or_deleted_through_the_orm(answer_in):
    answer_in(Status.SUBMITTED)
    event = AuditEvent.objects.get()
    event.reason = "rewritten"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.update(reason="rewritten")
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().reason == ""


def test_an_unregistered_action_is_refused(db):
    with transaction.atomic(), pytest.raises(ValueError):
        audit_record(action="vetted.answer.teleport")


def test_each_event_links_to_the_one_before(answer_in):
    answer_in(Status.UNDER_REVIEW)
    first, second = AuditEvent.objects.order_by("id")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert verify_chain() == (2, None)


def test_verify_audit_passes_on_an_intact_chain(answer_in, capsys):
    answer_in(Status.APPROVED)
    call_command("verify_audit")
    assert "Audit chain intact: 5 events verified." in capsys.readouterr().out


def _tamper(sql: str, params: list) -> None:
    with pgtrigger.ignore("editorial.AuditEvent:audit_append_only"), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_audit_names_a_changed_row(answer_in):
    answer_in(Status.REJECTED)
    rejected = AuditEvent.objects.get(action="vetted.answer.reject")
    _tamper(f"UPDATE {_table()} SET reason = %s WHERE id = %s", ["Approved after all", rejected.id])
    with pytest.raises(CommandError, match=f"broken at event {rejected.id}: its content does not match"):
        call_command("verify_audit")


def test_verify_audit_names_the_event_after_a_removed_row(answer_in):
    answer_in(Status.REJECTED)
    start, following = AuditEvent.objects.filter(action__in=["vetted.answer.start_review", "vetted.answer.reject"])[:2][
        ::-1
    ]
    _tamper(f"DELETE FROM {_table()} WHERE id = %s", [start.id])
    with pytest.raises(CommandError, match=f"broken at event {following.id}: does not link"):
        call_command("verify_audit")


def test_verify_audit_exits_non_zero_on_a_broken_chain(answer_in):
    answer_in(Status.SUBMITTED)
    event = AuditEvent.objects.get()
    _tamper(f"UPDATE {_table()} SET actor_label = %s WHERE id = %s", ["someone else", event.id])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert exited.value.code == 1


@pytest.mark.postgres
@pytest.mark.parametrize("sql", ["UPDATE {table} SET reason = 'x'", "DELETE FROM {table}"])
def test_postgresql_itself_refuses_update_and_delete(answer_in, sql):
    answer_in(Status.SUBMITTED)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=_table()))
    assert AuditEvent.objects.get().reason == ""


@pytest.mark.postgres
def test_postgresql_itself_refuses_truncate(answer_in):
    answer_in(Status.SUBMITTED)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {_table()} CASCADE")
    assert AuditEvent.objects.count() == 1
