"""Two reviewers (or one double-click) deciding the same answer at the same moment."""

import threading

import pytest
from django.db import connection

from answers.models import Status
from editorial.audit.trail import verify_chain
from editorial.errors import Conflict, InvalidState
from editorial.models import AuditEvent
from editorial.review import services
from tests.factories import APPROVAL, verify_citations


def _race(n: int, action) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[i] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_make_one_approval_and_one_clear_conflict(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    outcomes = _race(
        2, lambda: services.answer_approve(acting_user=board_member, answer=answer.pk, attestation=APPROVAL)
    )

    assert outcomes.count("ok") == 1
    [refusal] = [o for o in outcomes if o != "ok"]
    assert isinstance(refusal, InvalidState | Conflict)
    assert "approved" in refusal.message
    assert AuditEvent.objects.filter(answer=answer, action="vetted.answer.approve").count() == 1
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reject_racing_an_approval_leaves_exactly_one_decision(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    actions = iter(
        [
            lambda: services.answer_approve(acting_user=board_member, answer=answer.pk, attestation=APPROVAL),
            lambda: services.answer_reject(acting_user=board_member, answer=answer.pk, reason="No."),
        ]
    )
    lock = threading.Lock()

    def next_action():
        with lock:
            action = next(actions)
        action()

    outcomes = _race(2, next_action)
    assert outcomes.count("ok") == 1
    decisions = AuditEvent.objects.filter(answer=answer, action__in=["vetted.answer.approve", "vetted.answer.reject"])
    assert decisions.count() == 1
    answer.refresh_from_db()
    assert answer.status == decisions.get().to_state


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_unbroken_audit_chain(submit, specialty):
    questions = iter([f"Concurrent question {i}?" for i in range(4)])
    lock = threading.Lock()

    def submit_one():
        with lock:
            question = next(questions)
        submit(question=question)

    outcomes = _race(4, submit_one)
    assert outcomes == ["ok"] * 4
    assert verify_chain() == (4, None)


def _first_approved(submit, first, second):
    """A high-risk answer approved once by `first`, held for its second review by `second`, every citation
    verified by both."""
    from tests.factories import record_verdicts

    answer = submit(risk="high")
    services.answer_start_review(acting_user=first, answer=answer)
    verify_citations(first, answer)
    services.answer_approve(acting_user=first, answer=answer.pk, attestation=APPROVAL)
    services.answer_start_review(acting_user=second, answer=answer.pk)
    answer.refresh_from_db()
    record_verdicts(second, answer, ["verified"] * answer.pending_revision.citations.count())
    return answer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_second_approvals_racing_publish_exactly_once(submit, board_member, second_board_member):
    from answers.models import Signature, SignatureMeaning

    answer = _first_approved(submit, board_member, second_board_member)
    outcomes = _race(
        2, lambda: services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL)
    )

    assert outcomes.count("ok") == 1
    [refusal] = [o for o in outcomes if o != "ok"]
    assert isinstance(refusal, InvalidState | Conflict) and "approved" in refusal.message
    assert AuditEvent.objects.filter(answer=answer, action="vetted.answer.approve").count() == 1
    assert Signature.objects.filter(meaning=SignatureMeaning.SECOND_APPROVAL).count() == 1
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED and answer.live_revision_id is not None
    assert verify_chain()[1] is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_approval_racing_a_reassignment_and_the_new_holders_approval_publishes_once(
    submit, board_member, second_board_member, editor, specialty
):
    """Two board members approving the second review at once (one holds it, an editor just gave it to the
    other, who verified too): the lock lets exactly one publish; the other is refused, nothing half-done."""
    from tests.factories import board_member_of, record_verdicts

    answer = _first_approved(submit, board_member, second_board_member)
    third = board_member_of(specialty, "tess")
    services.answer_assign(acting_user=editor, answer=answer.pk, reviewer=third)
    record_verdicts(third, answer, ["verified"] * answer.pending_revision.citations.count())
    services.answer_assign(acting_user=editor, answer=answer.pk, reviewer=second_board_member)
    actions = iter(
        [
            lambda: services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL),
            lambda: (
                services.answer_assign(acting_user=editor, answer=answer.pk, reviewer=third),
                services.answer_approve(acting_user=third, answer=answer.pk, attestation=APPROVAL),
            ),
        ]
    )
    lock = threading.Lock()

    def next_action():
        with lock:
            action = next(actions)
        action()

    outcomes = _race(2, next_action)
    approvals = AuditEvent.objects.filter(answer=answer, action="vetted.answer.approve")
    assert approvals.count() == 1, outcomes
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert answer.approved_by == approvals.get().actor
