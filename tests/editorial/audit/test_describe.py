"""Audit events read as sentences (`editorial.audit.describe`): every action, from the
data its service records, and older events from what their row holds."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test import RequestFactory

from answers import clock
from answers.citations import first_author, short_reference
from answers.models import Answer, FollowUpQuestion, ReviewerProfile, Status
from editorial.audit.describe import TRAIL_RELATED, describe, question_text, state_change, state_name
from editorial.audit.trail import audit_record
from editorial.drafting.intake import followup_claim
from editorial.errors import Invalid
from editorial.models import AuditAction, AuditEvent
from editorial.review import checks, double, edits, profiles, services, signing
from tests import factories
from tests.factories import APPROVAL

pytestmark = pytest.mark.django_db

QUESTION = "Does inotuzumab ozogamicin belong in upfront therapy for older adults with ALL?"
CITATIONS = [
    {
        "number": 1,
        "title": "Inotuzumab ozogamicin in older adults",
        "authors": "Kantarjian HM, Jabbour E",
        "year": 2016,
    },
    {"number": 2, "title": "A consensus statement of the working group on ALL in adults", "year": 2020},
]
RAW_STATES = [s.value for s in Status if s.value != s.label.lower()]  # under_review, changes_requested


@pytest.fixture
def walked(drafter, specialty, board_member, second_board_member, author, editor):
    """One answer taken through every action of the vocabulary by the real services; its events."""
    draft = factories.draft(specialty, question=QUESTION, citations=CITATIONS)
    answer = Answer.objects.get(pk=services.draft_submit(acting_user=drafter, draft=draft).answer_id)
    services.answer_assign(acting_user=editor, answer=answer, reviewer=author)
    services.answer_assign(acting_user=editor, answer=answer, reviewer=board_member)
    services.answer_start_review(acting_user=board_member, answer=answer)
    services.answer_request_changes(acting_user=board_member, answer=answer, reason="Add the dose for adults over 70.")
    services.draft_submit(acting_user=drafter, draft=draft)
    services.revision_risk_set(acting_user=editor, answer=answer, tier="high", reason="Doses for older adults.")
    services.answer_start_review(acting_user=board_member, answer=answer)
    first, second = Answer.objects.get(pk=answer.pk).pending_revision.citations.order_by("number")
    checks.citation_verdict_record(
        acting_user=board_member, citation=first, verdict="verified", note="Matches the abstract."
    )
    checks.citation_verdict_record(acting_user=board_member, citation=second, verdict="unsupported")
    checks.citation_verdict_waive(acting_user=editor, citation=second, reason="A consensus statement, not a trial.")
    checks.comment_add(acting_user=editor, answer=answer, body="Please   check\nthe dose table.")
    anchored = checks.comment_add(
        acting_user=board_member, answer=answer, body="Which trial?", section=1, quote="Oral iron first [1]."
    )
    checks.comment_resolve(acting_user=editor, comment=anchored)
    checks.comment_reopen(acting_user=board_member, comment=anchored)
    on_section = checks.comment_add(acting_user=board_member, answer=answer, body="Too short.", section=2)
    checks.comment_resolve(acting_user=board_member, comment=on_section)
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    with pytest.raises(Invalid):
        signing.signature_check(request=request, user=board_member, password="wrong", answer=answer)
    services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)  # the first of two
    services.answer_start_review(acting_user=second_board_member, answer=answer)
    checks.citation_verdict_record(
        acting_user=second_board_member, citation=first, verdict="unverifiable", note="Full text paywalled."
    )
    checks.citation_verdict_record(acting_user=second_board_member, citation=second, verdict="verified")
    double.citation_adjudicate(acting_user=editor, citation=first, verdict="verified", reason="The abstract states it.")
    services.answer_approve(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    with clock.travel(clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1)):
        services.answer_mark_review_due(answer=answer)
        services.answer_reaffirm(acting_user=board_member, answer=answer, attestation=APPROVAL)
        services.draft_submit(acting_user=drafter, draft=draft)  # pending when retracted: withdrawn with it
        services.answer_retract(acting_user=editor, answer=answer, reason="The guideline was withdrawn.")
    follow_up = FollowUpQuestion.objects.create(text="And  in children?", answer=answer)
    followup_claim(acting_user=drafter, question_id=follow_up.pk)
    profile = ReviewerProfile.objects.get(user=board_member)
    profile.credentials = "MD, PhD"
    profile.conflict_of_interest = "None."
    profiles.reviewer_profile_save(acting_user=editor, profile=profile)
    edited = factories.submitted(by=drafter, specialty=specialty, question="A question edited by the board?")
    edits.revision_edit(
        acting_user=editor,
        answer=edited,
        content={
            "sections": [{"heading": "From the Guidelines", "body": "Oral iron first, 65 mg daily [1]."}],
            "citations": [{"number": 1, "title": "Guideline on iron deficiency", "year": 2021}],
        },
    )
    reject = factories.submitted(by=drafter, specialty=specialty, question="A second question?")
    services.answer_start_review(acting_user=board_member, answer=reject)
    services.answer_reject(acting_user=board_member, answer=reject, reason="Out of scope.")
    return list(AuditEvent.objects.select_related(*TRAIL_RELATED).order_by("id"))


def test_every_action_of_the_vocabulary_reads_as_a_sentence_not_a_code(walked):
    assert {event.action for event in walked} == set(AuditAction.values), "the walk covers every action"
    for action in AuditAction:
        for event in [e for e in walked if e.action == action] + [AuditEvent(action=action)]:  # stored, and bare
            sentence = describe(event)
            assert sentence and sentence.strip() == sentence, action
            assert action.value not in sentence and "vetted." not in sentence, sentence
            assert not any(code in sentence for code in RAW_STATES), sentence
            assert "{" not in sentence and "None" not in sentence, sentence


def test_the_sentences_name_the_citation_the_verdict_the_revision_and_the_reason(walked):
    first_answer = [e for e in walked if e.answer_id == walked[0].answer_id and e.action != AuditAction.REVIEW_DUE]
    assert [describe(event) for event in first_answer] == [
        "Submitted revision 1, drafted by medrafter 1.0",
        "Assigned the review to arthur (Dr. Arthur Lee)",
        "Reassigned the review from arthur (Dr. Arthur Lee) to maya (Dr. Maya Chen, MD, FACP)",
        "Started review",
        "Requested changes: Add the dose for adults over 70.",
        "Submitted revision 2, drafted by medrafter 1.0",
        "Set the risk tier of revision 2 to high risk: Doses for older adults.",
        "Started review",
        "Citation 1 (Kantarjian 2016): verified: Matches the abstract.",
        "Citation 2 (A consensus statement of the working…, 2020): does not support the claim",
        "Citation 2 (A consensus statement of the working…, 2020): check waived: A consensus statement, not a trial.",
        "Commented: Please check the dose table.",
        "Commented on “Oral iron first [1].” in From the Guidelines: Which trial?",
        "Resolved a comment on “Oral iron first [1].” in From the Guidelines: Which trial?",
        "Reopened a comment on “Oral iron first [1].” in From the Guidelines: Which trial?",
        "Commented on the section Key Findings: Too short.",
        "Resolved a comment on the section Key Findings: Too short.",
        "Failed to sign: wrong password",
        "Approved revision 2 (first of two approvals: high risk, waiting for a second review)",
        "Started review",
        "Citation 1 (Kantarjian 2016): could not verify (second review): Full text paywalled.",
        "Citation 2 (A consensus statement of the working…, 2020): verified (second review)",
        "Citation 1 (Kantarjian 2016): adjudicated verified (verified in the first review, could not verify in the"
        " second): The abstract states it.",
        "Approved revision 2",
        "Re-reviewed and re-approved revision 2",
        "Submitted revision 3, drafted by medrafter 1.0",
        "Retracted: The guideline was withdrawn.",
        "Withdrew revision 3 with the retraction",
        "Claimed a reader's follow-up question for drafting: And in children?",
    ]
    profile_change = next(e for e in walked if e.action == AuditAction.PROFILE_CHANGE)
    assert describe(profile_change) == "Changed the reviewer profile of maya: credentials, conflict of interest"
    assert describe(walked[-1]) == "Rejected: Out of scope."
    edit = next(e for e in walked if e.action == AuditAction.REVISION_EDIT)
    assert describe(edit) == (
        "Edited revision 1 as revision 2: sections edited: From the Guidelines; sections removed: Key Findings;"
        " citations changed: [1]; citations removed: [2]"
    )


def test_a_review_due_event_says_when_the_review_was_due(walked):
    (due,) = [e for e in walked if e.action == AuditAction.REVIEW_DUE]
    day = clock.today() + settings.HIGH_RISK_REVIEW_INTERVAL  # high risk, approved today: due 180 days later
    assert describe(due) == f"Marked due for re-review (the review was due on {day.day} {day:%B %Y})"


def test_states_read_as_people_say_them(walked):
    changes = [state_change(event) for event in walked if event.answer_id == walked[0].answer_id]
    assert changes[:5] == ["New → Submitted", "Submitted", "Submitted", "Submitted → Under review",
                           "Under review → Changes requested"]  # fmt: skip
    assert state_name("under_review") == "Under review"
    assert state_name("teleported") == "teleported"  # unknown: as stored, never an error
    assert state_change(AuditEvent(action=AuditAction.PROFILE_CHANGE)) == ""


def test_an_event_names_its_answer_by_the_question(walked):
    assert question_text(walked[0]) == QUESTION
    profile_change = next(e for e in walked if e.action == AuditAction.PROFILE_CHANGE)
    assert question_text(profile_change) == ""
    unloaded = AuditEvent.objects.get(pk=walked[0].pk)  # without select_related: one lookup, same text
    assert question_text(unloaded) == QUESTION


def test_events_recorded_before_the_sentences_stay_readable(answer_in):
    """Older events carry less data: the citation without its reference, the reviewer by username."""
    answer = answer_in(Status.UNDER_REVIEW)
    with transaction.atomic():
        verdict = audit_record(
            action=AuditAction.CITATION_VERDICT,
            answer=answer,
            reason="Checked.",
            data={"citation": 3, "verdict": "unverifiable"},
        )
        assign = audit_record(action=AuditAction.ASSIGN, answer=answer, data={"reviewer": "maya", "previous": None})
        comment = audit_record(action=AuditAction.COMMENT, answer=answer, data={"comment": 7})
        claim = audit_record(action=AuditAction.FOLLOWUP_CLAIM, answer=answer, data={"follow_up": 4})
        approve = audit_record(action=AuditAction.APPROVE, answer=answer, revision=answer.pending_revision)
    assert describe(verdict) == "Citation 3: could not verify: Checked."
    assert describe(assign) == "Assigned the review to maya"
    assert describe(comment) == "Commented"
    assert describe(claim) == "Claimed a reader's follow-up question for drafting"
    assert describe(AuditEvent.objects.get(pk=approve.pk)) == "Approved revision 1"
    assert describe(AuditEvent(action="vetted.answer.teleport")) == "vetted.answer.teleport"


def test_user_text_goes_into_the_sentence_as_written_for_the_template_to_escape(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified", note="<b>x</b>")
    event = AuditEvent.objects.filter(action=AuditAction.CITATION_VERDICT).latest("id")
    assert describe(event) == "Citation 1 (Guideline on iron deficiency, 2021): verified: <b>x</b>"


@pytest.mark.parametrize(
    ("authors", "surname"),
    [
        ("Kantarjian HM, DeAngelo DJ, Stelljes M, et al.", "Kantarjian"),
        ("Kantarjian, H. M.; DeAngelo, D. J.", "Kantarjian"),
        ("Kantarjian HM et al.", "Kantarjian"),
        ("van der Berg J-P and Smith J", "van der Berg"),
        ("NCCN ALL Panel", "NCCN ALL Panel"),
        ("", ""),
    ],
)
def test_a_citation_is_named_by_its_first_author(authors, surname):
    assert first_author(authors) == surname


def test_without_authors_a_citation_is_named_by_the_start_of_its_title():
    assert short_reference(authors="Kantarjian HM", year=2016) == "Kantarjian 2016"
    assert short_reference(title="Short title", year=2016) == "Short title, 2016"
    assert short_reference(title="x" * 100) == "x" * 40 + "…"
    assert short_reference() == ""
