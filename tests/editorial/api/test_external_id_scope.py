"""External ids and decisions belong to the drafting system that sent them (issue 13, item 10).

Two drafting systems: one cannot probe or squat the other's external ids, nor
read the reasons given on the other's revisions.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from answers.models import Revision, Status
from editorial.access import roles
from editorial.errors import Conflict
from editorial.models import ApiToken, DraftReceipt
from editorial.review import services
from tests.support.api import ApiClient

URL = "/api/v1/drafts/"
ANSWERS = "/api/v1/answers/"


@pytest.fixture
def rival(db):
    user = User.objects.create_user("rival-drafter", password="rival-password")
    user.groups.add(Group.objects.get(name=roles.DRAFTING))
    return user


@pytest.fixture
def rival_api(rival, specialty):
    return ApiClient(Client(), ApiToken.issue(user=rival, name="rival host")[1])


def test_resending_another_system_s_draft_does_not_reveal_its_receipt(api, rival_api, draft_payload):
    mine = api.post(URL, draft_payload()).json()

    response = rival_api.post(URL, draft_payload())

    assert response.status_code == 409  # the answer is in review; that is all the rival learns
    assert response.json()["state"] == "submitted"
    assert str(mine["id"]) not in response.content.decode()
    assert DraftReceipt.objects.count() == 1


def test_another_system_may_use_the_same_external_id_for_its_own_draft(api, rival_api, draft_payload):
    mine = api.post(URL, draft_payload()).json()

    response = rival_api.post(URL, draft_payload(question="Is ferric carboxymaltose safe in pregnancy?"))

    assert response.status_code == 201, response.content
    theirs = response.json()
    assert theirs["id"] != mine["id"] and theirs["answer_id"] != mine["answer_id"]
    assert Revision.objects.filter(external_id="medrafter-0001").count() == 2
    # Each system's retry still finds its own receipt.
    assert api.post(URL, draft_payload()).json() == mine
    again = rival_api.post(URL, draft_payload(question="Is ferric carboxymaltose safe in pregnancy?"))
    assert (again.status_code, again.json()) == (200, theirs)


def test_the_same_external_id_with_other_content_is_still_a_conflict_for_its_owner(api, rival_api, draft_payload):
    rival_api.post(URL, draft_payload(question="Is ferric carboxymaltose safe in pregnancy?"))
    assert api.post(URL, draft_payload()).status_code == 201

    response = api.post(URL, draft_payload(question="Another question?"))

    assert response.status_code == 409


def test_the_database_keeps_external_ids_unique_per_submitter_only(drafter, rival, submit, specialty):
    submit(external_id="shared-id", question="First question?")
    submit(external_id="shared-id", question="Second question?", acting_user=rival)
    with pytest.raises(Conflict):
        submit(external_id="shared-id", question="Third question?")


def test_last_decision_only_for_revisions_the_caller_submitted(api, rival_api, draft_payload, board_member):
    mine = api.post(URL, draft_payload()).json()
    answer = services.answer_start_review(acting_user=board_member, answer=mine["answer_id"])
    services.answer_request_changes(acting_user=board_member, answer=answer, reason="Secret reason for drafter.")

    def last_decision(client):
        [item] = client.get(ANSWERS).json()["items"]
        return item["last_decision"]

    assert last_decision(api)["reason"] == "Secret reason for drafter."

    # The rival drafts the next revision of the same answer: it now lists the answer,
    # but the decision on the drafter's revision is not its business.
    theirs = rival_api.post(URL, draft_payload(external_id="rival-1"))
    assert theirs.status_code == 201, theirs.content
    assert last_decision(rival_api) is None
    assert last_decision(api)["reason"] == "Secret reason for drafter."

    answer = services.answer_start_review(acting_user=board_member, answer=mine["answer_id"])
    services.answer_reject(acting_user=board_member, answer=answer, reason="Secret reason for rival.")
    assert last_decision(rival_api)["reason"] == "Secret reason for rival."
    assert last_decision(api) is None
    assert Revision.objects.get(external_id="rival-1").answer.status == Status.REJECTED
