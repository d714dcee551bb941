"""Drafts racing each other on PostgreSQL (issue 13, item 9).

Each request runs in its own thread with its own connection, all released
at once by a barrier. A retry is always answered 200 with the first receipt;
different drafts racing on one question get one winner and clean 409s; no
database text ever reaches the client.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from answers.models import Revision, Status
from editorial.review import services
from tests.support.api import ApiClient

URL = "/api/v1/drafts/"
N = 8
DATABASE_WORDS = ("duplicate key", "violates", "constraint", "DETAIL", "IntegrityError", "answers_", "editorial_")


def _race(raw_token: str, payloads: list[dict]) -> list:
    barrier = threading.Barrier(len(payloads))
    responses: list = [None] * len(payloads)

    def send(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = ApiClient(Client(raise_request_exception=False), raw_token).post(URL, payloads[i])
            responses[i] = (response.status_code, response.json())
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            responses[i] = (None, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _assert_clean(responses) -> None:
    for status, body in responses:
        assert status is not None, body
        text = str(body)
        assert not any(word in text for word in DATABASE_WORDS), body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_identical_retries_of_a_new_revision_are_all_answered_with_the_receipt(
    token, specialty, draft_payload, answer_in, board_member
):
    answer = answer_in(Status.CHANGES_REQUESTED)
    for round_ in range(3):
        payload = draft_payload(external_id=f"retry-{round_}", question=answer.question.text)
        responses = _race(token[1], [payload] * N)

        _assert_clean(responses)
        assert sorted(status for status, _ in responses) == [200] * (N - 1) + [201], responses
        assert all(body == responses[0][1] for _, body in responses)
        assert Revision.objects.filter(external_id=f"retry-{round_}").count() == 1
        # Back to changes requested for the next round.
        reviewed = services.answer_start_review(acting_user=board_member, answer=answer.pk)
        services.answer_request_changes(acting_user=board_member, answer=reviewed, reason="Again.")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_identical_retries_of_a_new_question_are_all_answered_with_the_receipt(token, specialty, draft_payload):
    for round_ in range(3):
        payload = draft_payload(external_id=f"new-{round_}", question=f"A brand new question, round {round_}?")
        responses = _race(token[1], [payload] * N)

        _assert_clean(responses)
        assert sorted(status for status, _ in responses) == [200] * (N - 1) + [201], responses
        assert all(body == responses[0][1] for _, body in responses)
        assert Revision.objects.filter(external_id=f"new-{round_}").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_different_drafts_racing_on_one_new_question_get_one_winner_and_clean_409s(token, specialty, draft_payload):
    for round_ in range(3):
        question = f"Who wins the race, round {round_}?"
        payloads = [draft_payload(external_id=f"race-{round_}-{i}", question=question) for i in range(N)]
        responses = _race(token[1], payloads)

        _assert_clean(responses)
        statuses = [status for status, _ in responses]
        assert statuses.count(201) >= 1, responses
        assert set(statuses) <= {201, 409}, responses
        for status, body in responses:
            if status == 409:
                assert body["detail"] and body["errors"] == []
        assert Revision.objects.filter(answer__question__text=question).count() == statuses.count(201)
