import threading

import pytest
from django.db import connection

from answers.models import FollowUpQuestion, FollowUpStatus
from editorial.models import ApiToken, AuditEvent
from tests.support.api import ApiClient


@pytest.fixture
def follow_up(db):
    def _follow_up(text="Does this apply to children?", **fields):
        return FollowUpQuestion.objects.create(text=text, **fields)

    return _follow_up


@pytest.fixture
def second_system(drafter):
    other = drafter.__class__.objects.create_user("second-drafter")
    other.groups.add(*drafter.groups.all())
    return other


def test_pending_questions_are_listed_oldest_first(api, follow_up, answer_in):
    answer = answer_in("approved")
    first = follow_up("Does this apply to children?", answer=answer)
    second = follow_up("What about pregnancy?")
    follow_up("Already taken", status=FollowUpStatus.CLAIMED)

    body = api.get("/api/v1/questions/pending/").json()

    assert body["count"] == 2
    assert [q["id"] for q in body["items"]] == [first.pk, second.pk]
    assert body["items"][0]["follows_answer_id"] == answer.pk
    assert body["items"][0]["follows_question"] == answer.question.text
    assert body["items"][1]["follows_question"] is None


def test_claiming_takes_the_question_off_the_list(api, follow_up, drafter):
    question = follow_up()

    response = api.post(f"/api/v1/questions/{question.pk}/claim/")

    assert response.status_code == 200
    assert response.json()["status"] == "claimed"
    question.refresh_from_db()
    assert (question.status, question.claimed_by) == (FollowUpStatus.CLAIMED, drafter)
    assert api.get("/api/v1/questions/pending/").json()["count"] == 0
    assert AuditEvent.objects.filter(action="vetted.followup.claim", actor=drafter).count() == 1


def test_claiming_my_own_claim_again_is_a_safe_retry(api, follow_up):
    question = follow_up()
    first = api.post(f"/api/v1/questions/{question.pk}/claim/").json()

    again = api.post(f"/api/v1/questions/{question.pk}/claim/")

    assert again.status_code == 200
    assert again.json() == first
    assert AuditEvent.objects.filter(action="vetted.followup.claim").count() == 1


def test_a_question_claimed_by_another_system_is_a_409_naming_the_state(client, api, follow_up, second_system):
    question = follow_up()
    api.post(f"/api/v1/questions/{question.pk}/claim/")
    _, raw = ApiToken.issue(user=second_system, name="second")

    response = ApiClient(client, raw).post(f"/api/v1/questions/{question.pk}/claim/")

    assert response.status_code == 409
    assert response.json()["state"] == "claimed"


def test_claiming_an_unknown_question_is_a_404(api):
    assert api.post("/api/v1/questions/999/claim/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_systems_claiming_at_once_never_both_win(follow_up, drafter, second_system, specialty):
    from django.test import Client

    question = follow_up()
    tokens = [ApiToken.issue(user=u, name=u.username)[1] for u in (drafter, second_system)]
    barrier = threading.Barrier(2)
    statuses = {}

    def claim(user, raw):
        try:
            barrier.wait()
            response = ApiClient(Client(), raw).post(f"/api/v1/questions/{question.pk}/claim/")
            statuses[user] = response.status_code
        finally:
            connection.close()

    systems = (drafter, second_system)
    threads = [threading.Thread(target=claim, args=(user, raw)) for user, raw in zip(systems, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses.values()) == [200, 409]
    [winner] = [user for user, status in statuses.items() if status == 200]
    question.refresh_from_db()
    assert question.claimed_by == winner
