"""Who may open the reviewer's desk and who may take each decision from it.

The answers here are written by `author` (a board member who also drafts) and,
once in review, held by `board_member`.
"""

import contextlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from answers import clock
from answers.models import Status
from editorial.models import AuditEvent
from editorial.review import services
from tests import factories
from tests.editorial.admin.desk import messages_of, review_url, transition_url
from tests.factories import password_of, verify_citations

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "drafter", "editor", "board_member", "author"]
SIGNED_OUT = {"anonymous", "reader", "drafter"}  # no staff access: the admin sends them to its login


def sign_in(client, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["index", "changelist", "review", "audit"])
def test_who_may_open_the_desk_pages(client, answer_in, author, request, role, page):
    answer = answer_in(Status.UNDER_REVIEW, acting_user=author)
    url = {
        "index": "/admin/",
        "changelist": "/admin/answers/answer/",
        "review": review_url(answer),
        "audit": "/admin/editorial/auditevent/",
    }[page]
    sign_in(client, role, request)
    response = client.get(url)
    if role in SIGNED_OUT:
        assert login_redirect(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/answers/answer/", "/admin/answers/answer/{pk}/change/", "/admin/answers/answer/{pk}/transition/reject/"],
)
def test_staff_without_an_editorial_role_is_forbidden(client, answer_in, url):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(factories.user("sam"))
    assert client.get(url.format(pk=answer.pk)).status_code == 403


def test_staff_without_an_editorial_role_cannot_post_a_decision(client, answer_in):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(factories.user("sam"))
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


@pytest.mark.parametrize("role", sorted(SIGNED_OUT))
@pytest.mark.parametrize("endpoint", ["answers_answer_comment", "answers_answer_assign"])
def test_signed_out_posts_to_the_desk_go_to_the_login(client, answer_in, author, request, role, endpoint):
    answer = answer_in(Status.UNDER_REVIEW, acting_user=author)
    sign_in(client, role, request)
    response = client.post(reverse(f"admin:{endpoint}", args=[answer.pk]), {"body": "hello", "reviewer": 1})
    assert login_redirect(response)
    assert not answer.comments.exists()


# -- decisions -----------------------------------------------------------------------------

# action -> (state the answer is brought to, whether each role may take it)
MATRIX = {
    "start_review": (Status.SUBMITTED, {"editor": False, "board_member": True, "author": False}),
    "approve": (Status.UNDER_REVIEW, {"editor": False, "board_member": True, "author": False}),
    "request_changes": (Status.UNDER_REVIEW, {"editor": False, "board_member": True, "author": False}),
    "reject": (Status.UNDER_REVIEW, {"editor": False, "board_member": True, "author": False}),
    "retract": (Status.APPROVED, {"editor": True, "board_member": True, "author": True}),
    "reaffirm": (Status.APPROVED, {"editor": False, "board_member": True, "author": False}),
}


def _decide(client, answer, action, user):
    if action == "start_review":
        return client.post(review_url(answer), {"_fsm_transition_to": action, "expected_status": answer.status})
    if action in ("approve", "reaffirm"):
        data = {"attest": "on", "password": password_of(user) if user else "x"}
    else:
        data = {"reason": "A reason."}
    return client.post(transition_url(answer, action), {**data, "expected_status": answer.status})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix_of_the_review_decisions(client, answer_in, author, board_member, request, role, action):
    state, allowed = MATRIX[action]
    answer = answer_in(state, acting_user=author)
    if action == "approve":
        verify_citations(board_member, answer)
    due = (
        clock.travel(clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1))
        if action == "reaffirm"
        else contextlib.nullcontext()
    )
    user = None if role == "anonymous" else request.getfixturevalue(role)
    sign_in(client, role, request)
    with due:
        if role not in SIGNED_OUT:
            page = client.get(review_url(answer))
            shown = {t.name for b in page.context["fsm_object_transitions"] for t in b.available_transitions}
            assert (action in shown) is allowed[role]
        response = _decide(client, answer, action, user)
    if role in SIGNED_OUT:
        assert login_redirect(response)
    did = (
        user is not None
        and AuditEvent.objects.filter(answer_id=answer.pk, action=f"vetted.answer.{action}", actor=user).exists()
    )
    assert did is allowed.get(role, False)
    answer.refresh_from_db()
    if action != "reaffirm":  # approved -> approved
        assert (answer.status != state) is did


def test_the_author_is_refused_with_the_reason(client, answer_in, author, board_member):
    answer = answer_in(Status.APPROVED, acting_user=author)
    client.force_login(author)
    with clock.travel(clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1)):
        services.answer_mark_review_due(answer=answer)
        response = client.get(transition_url(answer, "reaffirm"))
    assert response["Location"] == review_url(answer)
    assert messages_of(response) == ["Re-approve: You wrote this revision; another board member must re-review it."]
