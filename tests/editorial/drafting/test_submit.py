import pytest

from answers.models import Answer, Revision, Status
from editorial.models import AuditEvent, DraftReceipt

URL = "/api/v1/drafts/"


def test_a_new_draft_is_stored_and_submitted(api, draft_payload):
    response = api.post(URL, draft_payload())

    assert response.status_code == 201
    body = response.json()
    revision = Revision.objects.get(pk=body["id"])
    assert body == {
        "id": revision.pk,
        "answer_id": revision.answer_id,
        "revision": 1,
        "status": "submitted",
        "url": f"http://testserver/api/v1/drafts/{revision.pk}/",
    }
    assert revision.external_id == "medrafter-0001"
    assert revision.model_name == "medrafter" and revision.model_version == "1.0"
    assert [s.heading for s in revision.sections.all()] == ["From the Guidelines", "Key Findings"]
    assert [c.doi for c in revision.citations.all()] == ["", "10.1000/xyz123"]
    assert revision.answer.status == Status.SUBMITTED
    assert AuditEvent.objects.filter(action="vetted.answer.submit", revision=revision).count() == 1


def test_the_same_draft_again_answers_200_with_the_same_body(api, draft_payload):
    first = api.post(URL, draft_payload())
    again = api.post(URL, draft_payload())

    assert again.status_code == 200
    assert again.json() == first.json()
    assert Revision.objects.count() == 1


def test_the_same_external_id_with_other_content_is_a_conflict(api, draft_payload):
    api.post(URL, draft_payload())
    other = draft_payload(question="Is ferric carboxymaltose safe in pregnancy?")

    response = api.post(URL, other)

    assert response.status_code == 409
    assert "medrafter-0001" in response.json()["detail"]
    assert Revision.objects.count() == 1


@pytest.mark.parametrize("status", [Status.CHANGES_REQUESTED, Status.APPROVED, Status.RETRACTED])
def test_a_draft_for_an_answered_question_becomes_its_next_revision(api, draft_payload, answer_in, status):
    answer = answer_in(status, question=draft_payload()["question"])

    response = api.post(URL, draft_payload(external_id="medrafter-0002"))

    assert response.status_code == 201
    assert response.json()["answer_id"] == answer.pk
    assert response.json()["revision"] == 2
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW])
def test_a_new_revision_while_in_review_is_refused_naming_the_state(api, draft_payload, answer_in, status):
    answer = answer_in(status, question=draft_payload()["question"])
    events = AuditEvent.objects.count()

    response = api.post(URL, draft_payload(external_id="medrafter-0002"))

    assert response.status_code == 409
    assert response.json()["state"] == status
    assert Revision.objects.filter(answer=answer).count() == 1
    assert AuditEvent.objects.count() == events
    assert not DraftReceipt.objects.exists()


def test_another_audience_is_another_answer(api, draft_payload):
    professional = api.post(URL, draft_payload()).json()
    patient = api.post(URL, draft_payload(external_id="medrafter-0002", audience="patient")).json()

    assert patient["answer_id"] != professional["answer_id"]
    assert Answer.objects.get(pk=patient["answer_id"]).audience == "patient"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_draft_sent_twice_at_once_is_stored_once(token, specialty, draft_payload):
    import threading

    from django.db import connection
    from django.test import Client

    from tests.support.api import ApiClient

    barrier = threading.Barrier(2)
    statuses, bodies = [], []

    def send():
        try:
            barrier.wait()
            response = ApiClient(Client(), token[1]).post(URL, draft_payload())
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 201]
    assert bodies[0] == bodies[1]
    assert Revision.objects.count() == 1
