"""Every form and API endpoint refuses oversized input: a clear 4xx or form error, and
nothing written (no row, no audit event, no state change, no cookie)."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from answers.models import Answer, ReviewerProfile, Status
from editorial.errors import Invalid
from editorial.models import ApiToken, Comment
from editorial.review import checks, services
from tests.factories import APPROVAL

HUGE = "x" * 100_000  # far past every field's limit, well under the request body limits
DRAFTS = "/api/v1/drafts/"


@pytest.fixture
def snapshot(db):
    """`check = snapshot()` before the request, `check()` after: every table holds the rows it
    held before, and every answer is in the state it was in."""
    models = [m for m in apps.get_models() if m._meta.app_label in {"answers", "editorial", "auth", "axes"}]

    def take():
        before = {m: m.objects.count() for m in models}
        statuses = dict(Answer.objects.values_list("pk", "status"))

        def check():
            after = {m: m.objects.count() for m in models}
            assert {m._meta.label: n for m, n in after.items() if n != before[m]} == {}
            assert dict(Answer.objects.values_list("pk", "status")) == statuses

        return check

    return take


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# -- the reader site -------------------------------------------------------------


def test_a_huge_follow_up_question_is_a_form_error(client, answer_in, snapshot):
    answer = answer_in(Status.APPROVED)
    check = snapshot()

    response = client.post(reverse("answers:follow_up", args=[answer.question.slug]), {"text": HUGE})

    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    check()


def test_a_follow_up_body_over_django_s_limit_is_a_400(client, answer_in, snapshot):
    answer = answer_in(Status.APPROVED)
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    check = snapshot()

    response = client.post(reverse("answers:follow_up", args=[answer.question.slug]), {"text": body})

    assert response.status_code == 400
    check()


@pytest.mark.parametrize("field", ["audience", "next"])
def test_personalize_refuses_a_huge_value_and_sets_no_cookie(client, field, db):
    data = {"audience": "patient", "next": "/answers/", field: HUGE}

    response = client.post(reverse("answers:personalize"), data)

    assert response.status_code == 400
    assert field in response.content.decode()
    assert "vetted_audience" not in response.cookies


def test_a_huge_search_is_cut_not_run_whole(client, answer_in):
    answer_in(Status.APPROVED)

    response = client.get(reverse("answers:list"), {"q": HUGE})

    assert response.status_code == 200
    assert len(response.context["query"]) <= 200


# -- the reviewer's desk -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "transition", "who"),
    [
        (Status.UNDER_REVIEW, "request_changes", "board_member"),
        (Status.UNDER_REVIEW, "reject", "board_member"),
        (Status.APPROVED, "retract", "editor"),
    ],
)
def test_a_huge_reason_is_a_form_error_and_decides_nothing(
    client, answer_in, request, snapshot, status, transition, who
):
    answer = answer_in(status)
    client.force_login(request.getfixturevalue(who))
    check = snapshot()
    url = reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": transition})

    response = client.post(url, {"reason": HUGE, "expected_status": status})

    assert response.status_code == 200
    assert response.context["transition_form"].errors["reason"]
    check()


@pytest.mark.parametrize(
    ("view", "data", "label"),
    [
        ("verdict", {"verdict": "verified", "note": HUGE}, "Note"),
        ("verdict", {"verdict": HUGE}, "Verdict"),
        ("waive", {"reason": HUGE}, "Reason"),
        ("comment", {"body": HUGE}, "Comment"),
        ("assign", {"reviewer": "9" * 100_000}, "Reviewer"),
    ],
)
def test_the_review_page_s_small_forms_refuse_huge_input(client, answer_in, editor, board_member, view, data, label):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.first()
    user = board_member if view in ("verdict", "comment") else editor
    client.force_login(user)
    args = [answer.pk, citation.pk] if view in ("verdict", "waive") else [answer.pk]
    from editorial.models import AuditEvent, CitationVerdict

    events, verdicts, comments = AuditEvent.objects.count(), CitationVerdict.objects.count(), Comment.objects.count()

    response = client.post(reverse(f"admin:answers_answer_{view}", args=args), data)

    assert response.status_code == 302
    assert f"{label}:" in _messages(response)
    assert (AuditEvent.objects.count(), CitationVerdict.objects.count(), Comment.objects.count()) == (
        events,
        verdicts,
        comments,
    )
    assert Answer.objects.get(pk=answer.pk).reviewer == answer.reviewer


# The services hold the same limits, for callers other than the admin forms.


def test_the_services_refuse_a_huge_reason(answer_in, board_member, editor, snapshot):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.first()
    check = snapshot()
    calls = [
        lambda: services.answer_request_changes(acting_user=board_member, answer=answer, reason=HUGE),
        lambda: services.answer_reject(acting_user=board_member, answer=answer, reason=HUGE),
        lambda: checks.citation_verdict_record(
            acting_user=board_member, citation=citation, verdict="verified", note=HUGE
        ),
        lambda: checks.citation_verdict_waive(acting_user=editor, citation=citation, reason=HUGE),
        lambda: checks.comment_add(acting_user=board_member, answer=answer, body=HUGE),
    ]
    for call in calls:
        with pytest.raises(Invalid) as refused:
            call()
        assert "at most" in refused.value.message
    check()


def test_a_reason_at_the_limit_is_accepted(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)

    answer = services.answer_request_changes(acting_user=board_member, answer=answer, reason="r" * services.REASON_MAX)

    assert Answer.objects.get(pk=answer.pk).status == Status.CHANGES_REQUESTED


def test_the_service_refuses_a_huge_retraction_reason(answer_in, editor, snapshot):
    answer = answer_in(Status.APPROVED)
    check = snapshot()

    with pytest.raises(Invalid):
        answer = services.answer_retract(acting_user=editor, answer=answer, reason=HUGE)
    check()


# -- other signed-in pages -----------------------------------------------------------


def test_preferences_refuse_a_body_over_django_s_limit(client, board_member, snapshot):
    client.force_login(board_member)
    check = snapshot()

    response = client.post(
        reverse("notification_preferences"), {"submitted": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )

    assert response.status_code == 400
    check()


def test_preferences_refuse_too_many_fields(client, board_member, snapshot):
    client.force_login(board_member)
    check = snapshot()
    data = {f"f{i}": "on" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(reverse("notification_preferences"), data)

    assert response.status_code == 400
    check()


@pytest.mark.parametrize("field", ["date_from", "date_to", "specialty", "reviewer", "model"])
def test_report_filters_refuse_a_huge_value(client, editor, field):
    client.force_login(editor)

    response = client.get(reverse("editorial_reports:page", args=["throughput"]), {field: HUGE})

    assert response.status_code == 400
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(
    "url",
    [
        "/editorial/reports/exports/",
        "/editorial/preferences/",
        "/admin/answers/answer/{pk}/comments/",
        "/admin/answers/answer/{pk}/transition/request_changes/",
        "/admin/editorial/apitoken/add/",
    ],
)
def test_a_signed_in_form_post_over_django_s_limit_is_refused_before_the_view(answer_in, superuser, url, snapshot):
    """With CSRF checks on, as in production, the body is read (and refused) before any view runs."""
    answer = answer_in(Status.UNDER_REVIEW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    client.get(reverse("notification_preferences"))  # sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    url = url.format(pk=answer.pk)
    check = snapshot()

    response = client.post(url, {"csrfmiddlewaretoken": token, "x": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code == 400
    check()
    # The same client with a small body gets past the CSRF check: the 400 was the size.
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code != 403


def test_the_token_admin_refuses_a_huge_name(client, superuser, drafter, snapshot):
    client.force_login(superuser)
    check = snapshot()

    response = client.post(reverse("admin:editorial_apitoken_add"), {"user": drafter.pk, "name": HUGE})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    assert not ApiToken.objects.exists()
    check()


@pytest.mark.parametrize("field", ["display_name", "credentials", "bio", "conflict_of_interest"])
def test_the_board_profile_admin_refuses_huge_text(client, superuser, board_member, field):
    profile = board_member.reviewer_profile
    client.force_login(superuser)
    data = {
        "user": board_member.pk,
        "display_name": profile.display_name,
        "credentials": profile.credentials,
        "slug": profile.slug,
        "bio": "",
        "conflict_of_interest": "",
        "specialties": [s.pk for s in profile.specialties.all()],
        field: HUGE,
    }

    response = client.post(reverse("admin:answers_reviewerprofile_change", args=[profile.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert ReviewerProfile.objects.get(pk=profile.pk).__dict__[field] == getattr(profile, field)


def test_the_login_form_refuses_a_huge_username(client, snapshot):
    """Once a 500 on PostgreSQL: the failure record of django-axes has a 255-character column."""
    check = snapshot()

    response = client.post(reverse("admin:login"), {"username": HUGE, "password": "x"})

    assert response.status_code == 200
    assert "at most 150 characters" in str(response.context["form"].errors["username"])
    assert "_auth_user_id" not in client.session
    check()


# -- the drafting API ----------------------------------------------------------------


def test_a_draft_body_over_the_api_limit_is_a_413(api, draft_payload, snapshot):
    payload = draft_payload()
    payload["sections"][0]["body"] = "Oral iron first [1]. " * (settings.API_MAX_BODY_BYTES // 20)
    check = snapshot()

    response = api.post(DRAFTS, payload)

    assert response.status_code == 413
    assert f"{settings.API_MAX_BODY_BYTES} bytes" in response.json()["detail"]
    check()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("question",), "question"),
        (("external_id",), "external_id"),
        (("sections", 0, "heading"), "sections[0].heading"),
        (("sections", 0, "body"), "sections[0].body"),
        (("citations", 0, "title"), "citations[0].title"),
        (("citations", 0, "authors"), "citations[0].authors"),
        (("citations", 0, "journal"), "citations[0].journal"),
        (("citations", 0, "url"), "citations[0].url"),
        (("citations", 0, "doi"), "citations[0].doi"),
        (("model", "name"), "model.name"),
        (("callback_url",), "callback_url"),
    ],
)
def test_a_huge_draft_field_is_a_400_naming_it(api, draft_payload, snapshot, path, field):
    payload = draft_payload()
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = HUGE + " [1]"
    check = snapshot()

    response = api.post(DRAFTS, payload)

    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    check()


def test_a_claim_with_a_body_over_the_api_limit_is_a_413(client, token, answer_in, api, snapshot):
    from answers.models import FollowUpQuestion

    question = FollowUpQuestion.objects.create(text="What about children?", answer=answer_in(Status.APPROVED))
    check = snapshot()
    body = json.dumps({"padding": "x" * settings.API_MAX_BODY_BYTES})

    response = api.post(f"/api/v1/questions/{question.pk}/claim/", raw=body.encode())

    assert response.status_code == 413
    check()
    assert FollowUpQuestion.objects.get(pk=question.pk).status == "pending"


def test_an_approval_still_works_after_the_limits(answer_in, board_member):
    """The limits refuse only what is oversized: the usual review goes through."""
    answer = answer_in(Status.UNDER_REVIEW)
    for citation in answer.pending_revision.citations.all():
        checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified", note="ok")
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED
