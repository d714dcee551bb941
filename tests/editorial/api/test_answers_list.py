from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers import clock
from answers.models import Status

URL = "/api/v1/answers/"
QUESTIONS = [
    "What is the first-line treatment for iron deficiency anaemia?",
    "Is ferric carboxymaltose safe in pregnancy?",
    "When should oral iron be stopped?",
]


def test_it_lists_the_answers_i_drafted_oldest_change_first(api, answer_in):
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for i, question in enumerate(QUESTIONS):
        with clock.travel(start + timedelta(hours=i)):
            answer_in(Status.SUBMITTED, question=question)

    body = api.get(URL).json()

    assert body["count"] == 3
    assert [a["question"] for a in body["items"]] == QUESTIONS
    assert body["items"][0]["status"] == "submitted"
    assert body["items"][0]["pending_revision"] == 1
    assert body["next"] is None


def test_it_filters_by_status_specialty_and_updated_since(api, answer_in, other_specialty, draft_payload):
    with clock.travel(datetime(2026, 3, 1, tzinfo=UTC)):
        answer_in(Status.CHANGES_REQUESTED, question=QUESTIONS[0])
    with clock.travel(datetime(2026, 3, 5, tzinfo=UTC)):
        answer_in(Status.APPROVED, question=QUESTIONS[1])
        cardiology = draft_payload(external_id="cardio-1", question=QUESTIONS[2], specialty="cardiology")
        assert api.post("/api/v1/drafts/", cardiology).status_code == 201

    def questions(**params):
        response = api.get(URL, **params)
        assert response.status_code == 200, response.content
        return [a["question"] for a in response.json()["items"]]

    assert questions(status="approved") == [QUESTIONS[1]]
    assert questions(specialty="cardiology") == [QUESTIONS[2]]
    assert questions(updated_since="2026-03-04T00:00:00Z") == QUESTIONS[1:]
    assert questions(updated_since="2026-03-04T00:00:00") == QUESTIONS[1:]  # naive means UTC


def test_each_answer_carries_its_last_decision_and_public_url(api, answer_in):
    answer_in(Status.REJECTED, question=QUESTIONS[0])
    approved = answer_in(Status.APPROVED, question=QUESTIONS[1])

    items = {a["question"]: a for a in api.get(URL).json()["items"]}

    rejected = items[QUESTIONS[0]]["last_decision"]
    assert (rejected["action"], rejected["reason"]) == ("reject", "Out of scope.")
    assert items[QUESTIONS[0]]["public_url"] is None
    assert items[QUESTIONS[1]]["last_decision"]["action"] == "approve"
    assert items[QUESTIONS[1]]["public_url"] == f"http://testserver{approved.get_absolute_url()}"
    assert items[QUESTIONS[1]]["live_revision"] == 1


def test_it_is_paginated(api, answer_in, settings):
    settings.API_PAGE_SIZE = 2
    for question in QUESTIONS:
        answer_in(Status.SUBMITTED, question=question)

    first = api.get(URL).json()
    second = api.get(URL, page=2).json()

    assert (first["count"], len(first["items"]), first["next"]) == (3, 2, "http://testserver/api/v1/answers/?page=2")
    assert [a["question"] for a in second["items"]] == [QUESTIONS[2]]
    assert second["next"] is None
    assert api.get(URL, page=9).json()["items"] == []


def test_answers_drafted_by_someone_else_are_not_listed(api, answer_in, editor):
    answer_in(Status.SUBMITTED, question=QUESTIONS[0], acting_user=editor)

    assert api.get(URL).json()["count"] == 0


def test_the_queries_do_not_grow_with_the_page(api, answer_in, django_assert_max_num_queries):
    answer_in(Status.CHANGES_REQUESTED, question=QUESTIONS[0])
    with CaptureQueriesContext(connection) as one_answer:
        assert api.get(URL).json()["count"] == 1
    for question in QUESTIONS[1:]:
        answer_in(Status.CHANGES_REQUESTED, question=question)

    with django_assert_max_num_queries(min(len(one_answer), 6)):
        assert api.get(URL).json()["count"] == 3


def test_bad_filters_are_400s_naming_the_parameter(api):
    for params, field in [
        ({"status": "pending"}, "status"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "-123554"}, "updated_since"),
        ({"specialty": "astrology"}, "specialty"),
        ({"specialty": "cardio\x00logy"}, "specialty"),
        ({"page": "0"}, "page"),
    ]:
        response = api.get(URL, **params)
        assert response.status_code == 400, params
        assert [e["field"] for e in response.json()["errors"]] == [field]
