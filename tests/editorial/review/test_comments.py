"""Comments on a passage (`editorial.review.checks`): anchored to a section or a quoted sentence
of the revision they were written on, resolved and reopened (audited), and gathered by
"Request changes" into what the drafting system receives (API and webhook)."""

import pytest
from django.db import IntegrityError, transaction

from answers.models import Answer, ImmutableError, Revision, Status
from editorial.errors import Invalid, InvalidState, NotAllowed
from editorial.models import AuditAction, AuditEvent, Comment, WebhookDelivery
from editorial.review import checks, services

pytestmark = pytest.mark.django_db

BODY = (
    "Oral iron is first line [1]. Take it every other day, e.g. 60 mg, to improve absorption.\n\n"
    "- Intravenous iron when oral iron fails [2]."
)
SECTIONS = [
    {"heading": "From the Guidelines", "body": BODY},
    {"heading": "Key Findings", "body": "Ferric carboxymaltose works [2]. Watch for hypophosphataemia."},
]


@pytest.fixture
def in_review(submit, board_member):
    return services.answer_start_review(acting_user=board_member, answer=submit(sections=SECTIONS))


# -- anchoring --------------------------------------------------------------------------------


def test_a_comment_is_anchored_to_a_section_or_a_sentence_of_the_pending_revision(in_review, board_member):
    section = checks.comment_add(acting_user=board_member, answer=in_review, body="Too terse.", section=2)
    sentence = checks.comment_add(
        acting_user=board_member,
        answer=in_review.pk,
        body="Which dose?",
        section=1,
        quote="Take it every other day, e.g.  60 mg, to improve\nabsorption.",  # spaces as typed: collapsed
    )
    whole = checks.comment_add(acting_user=board_member, answer=in_review, body="Fine overall.")

    assert (section.revision_id, section.section.position, section.quote) == (in_review.pending_revision_id, 2, "")
    assert sentence.section.heading == "From the Guidelines"
    assert sentence.quote == "Take it every other day, e.g. 60 mg, to improve absorption."
    assert (whole.revision_id, whole.section_id, whole.quote) == (in_review.pending_revision_id, None, "")
    event = AuditEvent.objects.filter(action=AuditAction.COMMENT).order_by("id")[1]
    assert event.revision_id == in_review.pending_revision_id
    assert event.data["section"] == "From the Guidelines" and event.data["quote"].startswith("Take it every")


@pytest.mark.parametrize(
    ("anchor", "field", "message"),
    [
        ({"section": 1, "quote": "Oral iron is second line [1]."}, "quote", "not in the section"),
        ({"section": 2, "quote": "Oral iron is first line [1]."}, "quote", "not in the section .Key Findings."),
        ({"section": 3}, "section", "has no section 3"),
        ({"quote": "Oral iron is first line [1]."}, "quote", "needs the section"),
        ({"section": 1, "quote": "x" * (checks.QUOTE_MAX + 1)}, "quote", "at most"),
    ],
)
def test_an_anchor_outside_the_revision_is_refused_and_writes_nothing(in_review, board_member, anchor, field, message):
    events = AuditEvent.objects.count()
    with pytest.raises(Invalid, match=message) as refused:
        checks.comment_add(acting_user=board_member, answer=in_review, body="Which dose?", **anchor)
    assert refused.value.fields == [field]
    assert not Comment.objects.exists() and AuditEvent.objects.count() == events


def test_a_comment_names_a_revision_of_its_own_answer_only(in_review, submit, board_member):
    other = submit(question="Is ferritin enough to diagnose iron deficiency?")
    with pytest.raises(Invalid, match="no such revision"):
        checks.comment_add(
            acting_user=board_member, answer=in_review, body="Hm.", revision=other.pending_revision_id, section=1
        )
    assert not Comment.objects.exists()


def test_the_database_refuses_a_quote_without_its_section(in_review, board_member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(answer=in_review, author=board_member, body="x", quote="Oral iron is first line [1].")


def test_a_comments_text_and_anchor_are_written_once(in_review, board_member):
    comment = checks.comment_add(acting_user=board_member, answer=in_review, body="Too terse.", section=2)
    comment.body = "Rewritten."
    with pytest.raises(ImmutableError):
        comment.save()
    with pytest.raises(ImmutableError):
        Comment.objects.filter(pk=comment.pk).update(quote="Ferric carboxymaltose works [2].")
    with pytest.raises(ImmutableError):
        Comment.objects.filter(pk=comment.pk).delete()
    assert Comment.objects.get(pk=comment.pk).body == "Too terse."


# -- resolving ------------------------------------------------------------------------------


def test_board_members_and_editors_resolve_and_reopen_audited(in_review, board_member, editor):
    comment = checks.comment_add(
        acting_user=board_member, answer=in_review, body="Which dose?", section=1, quote="Oral iron is first line [1]."
    )
    checks.comment_resolve(acting_user=editor, comment=comment)
    resolved = Comment.objects.get(pk=comment.pk)
    assert (resolved.is_open, resolved.resolved_by) == (False, editor)

    checks.comment_reopen(acting_user=board_member, comment=comment.pk)
    reopened = Comment.objects.get(pk=comment.pk)
    assert reopened.is_open and reopened.resolved_by is None

    events = list(
        AuditEvent.objects.filter(action__in=[AuditAction.COMMENT_RESOLVE, AuditAction.COMMENT_REOPEN]).order_by("id")
    )
    assert [(e.action, e.actor_id, e.revision_id) for e in events] == [
        (AuditAction.COMMENT_RESOLVE, editor.pk, in_review.pending_revision_id),
        (AuditAction.COMMENT_REOPEN, board_member.pk, in_review.pending_revision_id),
    ]
    assert events[0].data == {
        "comment": comment.pk,
        "excerpt": "Which dose?",
        "section": "From the Guidelines",
        "quote": "Oral iron is first line [1].",
    }


def test_resolving_twice_or_reopening_an_open_comment_is_refused(in_review, board_member):
    comment = checks.comment_add(acting_user=board_member, answer=in_review, body="Which dose?")
    with pytest.raises(InvalidState, match="open already"):
        checks.comment_reopen(acting_user=board_member, comment=comment)
    checks.comment_resolve(acting_user=board_member, comment=comment)
    with pytest.raises(InvalidState, match="already resolved"):
        checks.comment_resolve(acting_user=board_member, comment=comment)
    assert AuditEvent.objects.filter(action=AuditAction.COMMENT_RESOLVE).count() == 1


@pytest.mark.parametrize("who", ["drafter", "reader"])
def test_others_may_not_resolve_or_reopen(in_review, board_member, request, who):
    user = request.getfixturevalue(who)
    comment = checks.comment_add(acting_user=board_member, answer=in_review, body="Which dose?")
    with pytest.raises(NotAllowed, match="board members and editors"):
        checks.comment_resolve(acting_user=user, comment=comment)
    checks.comment_resolve(acting_user=board_member, comment=comment)
    with pytest.raises(NotAllowed):
        checks.comment_reopen(acting_user=user, comment=comment)
    assert not Comment.objects.get(pk=comment.pk).is_open
    assert not AuditEvent.objects.filter(action=AuditAction.COMMENT_REOPEN).exists()


# -- request changes: the open comments go to the drafting system -------------------------------


def _drafted(api, draft_payload, external_id: str) -> int:
    response = api.post(
        "/api/v1/drafts/",
        draft_payload(external_id=external_id, sections=SECTIONS, callback_url="https://drafter.example/hooks"),
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_request_changes_sends_exactly_the_open_comments_of_that_revision(
    api, draft_payload, board_member, editor, settings
):
    first_id = _drafted(api, draft_payload, "comments-1")
    answer = Answer.objects.get(pk=Revision.objects.get(pk=first_id).answer_id)
    services.answer_start_review(acting_user=board_member, answer=answer)
    add = checks.comment_add
    add(acting_user=editor, answer=answer, body="Key Findings is too short.", section=2)
    add(acting_user=board_member, answer=answer, body="Which <dose>?", section=1, quote="Oral iron is first line [1].")
    resolved = add(
        acting_user=board_member, answer=answer, body="Typo.", section=2, quote="Watch for hypophosphataemia."
    )
    reopened = add(acting_user=editor, answer=answer, body="Say how long.", section=1)
    add(acting_user=board_member, answer=answer, body="Reads well otherwise.")
    checks.comment_resolve(acting_user=board_member, comment=resolved)
    checks.comment_resolve(acting_user=editor, comment=reopened)
    checks.comment_reopen(acting_user=board_member, comment=reopened)

    services.answer_request_changes(acting_user=board_member, answer=answer, reason="See the comments.")

    sent_first = [
        {"section": None, "quote": None, "comment": "Reads well otherwise."},
        {"section": "From the Guidelines", "quote": "Oral iron is first line [1].", "comment": "Which <dose>?"},
        {"section": "From the Guidelines", "quote": None, "comment": "Say how long."},
        {"section": "Key Findings", "quote": None, "comment": "Key Findings is too short."},
    ]
    (decision,) = api.get(f"/api/v1/drafts/{first_id}/").json()["decisions"]
    assert (decision["reason"], decision["comments"]) == ("See the comments.", sent_first)
    hook = WebhookDelivery.objects.get(receipt__revision_id=first_id, event="changes_requested")
    assert (hook.payload["reason"], hook.payload["comments"]) == ("See the comments.", sent_first)

    # The next revision: its own comments only, not the first one's (still open there).
    second_id = _drafted(api, draft_payload, "comments-2")
    services.answer_start_review(acting_user=board_member, answer=answer)
    add(acting_user=board_member, answer=answer, body="Better.", section=2, quote="Ferric carboxymaltose works [2].")
    services.answer_request_changes(acting_user=board_member, answer=answer, reason="One more thing.")
    sent_second = [{"section": "Key Findings", "quote": "Ferric carboxymaltose works [2].", "comment": "Better."}]
    (decision,) = api.get(f"/api/v1/drafts/{second_id}/").json()["decisions"]
    assert decision["comments"] == sent_second
    hook = WebhookDelivery.objects.get(receipt__revision_id=second_id)
    assert hook.payload["comments"] == sent_second

    # What was sent stays as sent: resolving a comment later changes neither the API nor the payload.
    for comment in Comment.objects.open():
        checks.comment_resolve(acting_user=editor, comment=comment)
    (decision,) = api.get(f"/api/v1/drafts/{first_id}/").json()["decisions"]
    assert decision["comments"] == sent_first
    answers = api.get("/api/v1/answers/").json()["items"]
    assert [a["last_decision"]["comments"] for a in answers] == [sent_second]


def test_other_decisions_carry_an_empty_list(api, draft_payload, board_member):
    draft_id = _drafted(api, draft_payload, "comments-3")
    answer = Revision.objects.get(pk=draft_id).answer
    services.answer_start_review(acting_user=board_member, answer=answer)
    checks.comment_add(acting_user=board_member, answer=answer, body="Wrong audience.", section=1)
    services.answer_reject(acting_user=board_member, answer=answer, reason="Out of scope.")
    (decision,) = api.get(f"/api/v1/drafts/{draft_id}/").json()["decisions"]
    assert decision["comments"] == []
    assert WebhookDelivery.objects.get().payload["comments"] == []
    assert Answer.objects.get(pk=answer.pk).status == Status.REJECTED


def test_the_openapi_schema_documents_the_comments_beside_the_reason(client):
    schemas = client.get("/api/v1/schema/").json()["components"]["schemas"]
    comments = schemas["DecisionOut"]["properties"]["comments"]
    assert comments["items"] == {"$ref": "#/components/schemas/ReviewCommentOut"}
    assert "request_changes" in comments["description"]
    assert set(schemas["ReviewCommentOut"]["required"]) == {"section", "quote", "comment"}
    assert "null for the whole answer" in schemas["ReviewCommentOut"]["properties"]["section"]["description"]
