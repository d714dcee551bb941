"""Edits by the board (`editorial.review.edits.revision_edit`): a new revision in the place of
the pending one, validated like the drafting API, audited, verdicts carried over only where
nothing the verdict rests on changed, and never approved by the person who wrote it."""

import copy

import pytest

from answers.models import Answer, ReviewState, Revision, RevisionReview, SourceKind, Status
from editorial.errors import Conflict, Invalid, InvalidState, NotAllowed
from editorial.models import AuditAction, AuditEvent, CitationVerdict
from editorial.review import checks, edits, selectors, services
from tests import factories
from tests.factories import APPROVAL

pytestmark = pytest.mark.django_db

# The content of factories.draft(): what the drafting system sent.
CONTENT = {
    "sections": [
        {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
        {"heading": "Key Findings", "body": "- Intravenous iron when oral fails [2]."},
    ],
    "citations": [
        {"number": 1, "title": "Guideline on iron deficiency", "journal": "Blood", "year": 2021, "pmid": "12345678"},
        {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
    ],
}


def content(**changes) -> dict:
    """CONTENT with `changes` applied: `section0_body="..."`, `citation1_title="..."`."""
    edited = copy.deepcopy(CONTENT)
    for key, value in changes.items():
        kind, field = key.split("_", 1)
        index = int(kind[-1])
        edited["sections" if kind.startswith("section") else "citations"][index][field] = value
    return edited


@pytest.fixture
def in_review(answer_in, board_member):
    """Under review by maya, both citations verified by her."""
    answer = answer_in(Status.UNDER_REVIEW)
    factories.verify_citations(board_member, answer)
    return Answer.objects.get(pk=answer.pk)


def _writes() -> tuple[int, int, int]:
    return Revision.objects.count(), AuditEvent.objects.count(), CitationVerdict.objects.count()


def test_an_edit_is_a_new_revision_in_the_place_of_the_pending_one(in_review, editor, board_member):
    parent = in_review.pending_revision
    edited = content(section0_body="Oral iron first, 65 mg elemental iron daily [1].")

    answer = edits.revision_edit(acting_user=editor, answer=in_review, content=edited, expected_revision=parent.pk)

    revision = answer.pending_revision
    assert (revision.number, revision.source_kind, revision.created_by, revision.parent) == (
        2,
        SourceKind.HUMAN,
        editor,
        parent,
    )
    assert revision.stored_content()["sections"][0]["body"] == "Oral iron first, 65 mg elemental iron daily [1]."
    assert revision.verify_hash()
    # The answer stays under review with its holder; the edited revision's review is closed as superseded.
    answer.refresh_from_db()
    assert (answer.status, answer.reviewer, answer.pending_revision) == (Status.UNDER_REVIEW, board_member, revision)
    assert RevisionReview.objects.get(revision=parent).state == ReviewState.SUPERSEDED
    assert RevisionReview.objects.get(revision=revision).state == ReviewState.UNDER_REVIEW
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.revision_id) == (AuditAction.REVISION_EDIT, editor, revision.pk)
    assert (event.from_state, event.to_state) == (Status.UNDER_REVIEW, Status.UNDER_REVIEW)
    assert event.data["parent"] == 1 and event.data["revision"] == 2
    assert event.data["sections"] == {"edited": ["From the Guidelines"], "added": [], "removed": [], "reordered": False}
    assert event.data["citations"] == {"changed": [], "added": [], "removed": []}
    assert event.data["handed_back"] is False


def test_verdicts_carry_over_only_where_reference_and_citing_sentences_are_unchanged(in_review, editor, board_member):
    parent = in_review.pending_revision
    # Citation 1: a sentence that cites nothing is added; its citing sentence and reference stay.
    # Citation 2: its citing sentence changes (the dose).
    edited = content(
        section0_body="Oral iron first [1]. Take it with water.",
        section1_body="- Intravenous iron when oral fails, 1 g once [2].",
    )

    answer = edits.revision_edit(acting_user=editor, answer=in_review, content=edited)

    verdicts = {v.citation.number: v for v in CitationVerdict.objects.filter(revision=answer.pending_revision)}
    assert set(verdicts) == {1}
    assert (verdicts[1].verdict, verdicts[1].reviewer, verdicts[1].carried_from) == ("verified", board_member, parent)
    assert checks.approval_blockers(answer) == ["Citation 2 has not been checked."]
    assert AuditEvent.objects.latest("id").data["carried_over"] == [1]


def test_a_changed_reference_starts_unchecked(in_review, editor):
    edited = content(citation0_title="Guideline on iron deficiency, 2024 update", citation0_year=2024)

    answer = edits.revision_edit(acting_user=editor, answer=in_review, content=edited)

    carried = CitationVerdict.objects.filter(revision=answer.pending_revision)
    assert [v.citation.number for v in carried] == [2]
    assert checks.approval_blockers(answer) == ["Citation 1 has not been checked."]
    assert AuditEvent.objects.latest("id").data["citations"]["changed"] == [1]


def test_a_changed_citing_sentence_starts_unchecked_even_when_the_reference_is_the_same(in_review, editor):
    edited = content(section0_body="Oral iron is no longer first line [1].")

    answer = edits.revision_edit(acting_user=editor, answer=in_review, content=edited)

    assert [v.citation.number for v in CitationVerdict.objects.filter(revision=answer.pending_revision)] == [2]


def test_a_carried_verdict_recorded_again_is_no_longer_marked_carried(in_review, editor, board_member):
    answer = edits.revision_edit(acting_user=editor, answer=in_review, content=content(section0_body="Iron [1]."))
    citation = answer.pending_revision.citations.get(number=2)
    assert citation.verdict.carried_from is not None

    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified")

    citation.verdict.refresh_from_db()
    assert citation.verdict.carried_from is None


def test_waivers_are_not_carried_over(answer_in, board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    first, second = answer.pending_revision.citations.order_by("number")
    checks.citation_verdict_record(acting_user=board_member, citation=first, verdict="verified")
    checks.citation_verdict_waive(acting_user=editor, citation=second, reason="A consensus statement.")

    answer = edits.revision_edit(acting_user=editor, answer=answer, content=content(section0_body="Iron [1]. Now."))

    carried = CitationVerdict.objects.filter(revision=answer.pending_revision)
    assert [(v.citation.number, v.waived_at) for v in carried] == []  # 1's sentence changed; 2 was only waived


def test_the_holder_who_edits_hands_the_review_to_another_board_member(in_review, board_member, author, editor):
    answer = edits.revision_edit(acting_user=board_member, answer=in_review, content=content(section0_body="I [1]."))

    answer.refresh_from_db()
    assert (answer.status, answer.reviewer) == (Status.SUBMITTED, None)
    assert RevisionReview.objects.get(revision=answer.pending_revision).state == ReviewState.SUBMITTED
    assert AuditEvent.objects.latest("id").data["handed_back"] is True
    # Never their own approver: maya can neither take the review back nor be given it.
    with pytest.raises(NotAllowed, match="You wrote this revision"):
        services.answer_start_review(acting_user=board_member, answer=answer)
    with pytest.raises(NotAllowed):
        services.answer_assign(acting_user=editor, answer=answer, reviewer=board_member)
    # Another board member takes it; maya's carried verdict (citation 2) is hers: confirmed, not counted.
    answer = services.answer_start_review(acting_user=author, answer=answer)
    assert checks.approval_blockers(answer) == [
        "Citation 1 has not been checked.",
        "Citation 2 was checked by maya; confirm or re-record it.",
    ]
    factories.verify_citations(author, answer)
    answer = services.answer_approve(acting_user=author, answer=answer, attestation=APPROVAL)
    assert answer.status == Status.APPROVED and answer.live_revision.created_by == board_member


def test_the_author_of_an_edit_is_refused_as_approver(in_review, second_board_member, board_member, editor):
    """daniel (board) edits maya's review: maya keeps it; daniel may not be given it, nor approve it."""
    answer = edits.revision_edit(
        acting_user=second_board_member, answer=in_review, content=content(section0_body="Iron [1].")
    )
    assert answer.reviewer == board_member
    with pytest.raises(NotAllowed):
        services.answer_assign(acting_user=editor, answer=answer, reviewer=second_board_member)
    with pytest.raises(NotAllowed, match="You wrote this revision"):
        services.answer_approve(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    assert Answer.objects.get(pk=answer.pk).status == Status.UNDER_REVIEW


def test_an_assignee_who_edits_a_submitted_answer_is_unassigned(answer_in, board_member, editor):
    answer = answer_in(Status.SUBMITTED)
    services.answer_assign(acting_user=editor, answer=answer, reviewer=board_member)

    answer = edits.revision_edit(acting_user=board_member, answer=answer, content=content(section0_body="Iron [1]."))

    assert (answer.status, answer.reviewer) == (Status.SUBMITTED, None)
    assert RevisionReview.objects.get(revision=answer.pending_revision).state == ReviewState.SUBMITTED


def test_waiting_for_me_leaves_an_edit_out_for_its_author_and_labels_it_for_the_others(in_review, board_member, author):
    answer = edits.revision_edit(acting_user=board_member, answer=in_review, content=content(section0_body="I [1]."))

    waiting = selectors.answer_queue().filter(selectors.waiting_for_q(board_member))
    assert not waiting.filter(pk=answer.pk).exists()
    (listed,) = selectors.answer_queue().filter(selectors.waiting_for_q(author))
    assert selectors.edit_note(listed) == "Edited by Dr. Maya Chen: needs another reviewer"
    # A draft as its drafting system sent it carries no such note.
    assert selectors.edit_note(selectors.answer_queue().get(pk=factories.submitted(
        by=answer.revisions.first().created_by, specialty=answer.question.specialty, question="Another one?"
    ).pk)) == ""  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"section1_body": "Intravenous iron [3]."}, "sections[1].body"),
        ({"citation1_number": 3}, "citations[1].number"),
        ({"citation0_pmid": "PMID123"}, "citations[0].pmid"),
        ({"citation1_doi": "doi:10.1000/x"}, "citations[1].doi"),
        ({"citation0_number": "1"}, "citations[0].number"),
        ({"section0_heading": "x" * 201}, "sections[0].heading"),
        ({"section0_body": "   "}, "sections[0].body"),
    ],
)
def test_bad_content_is_refused_by_field_and_writes_nothing(in_review, editor, change, field):
    before = _writes()

    with pytest.raises(Invalid) as refused:
        edits.revision_edit(acting_user=editor, answer=in_review, content=content(**change))

    assert field in refused.value.fields
    assert _writes() == before


def test_an_edit_that_changes_nothing_is_refused(in_review, editor):
    before = _writes()
    with pytest.raises(Invalid, match="Nothing changed"):
        edits.revision_edit(acting_user=editor, answer=in_review, content=content())
    assert _writes() == before


def test_who_may_edit(in_review, drafter, reader, superuser, author):
    before = _writes()
    for refused in (drafter, reader):
        with pytest.raises(NotAllowed):
            edits.revision_edit(acting_user=refused, answer=in_review, content=content(section0_body="I [1]."))
    assert _writes() == before
    answer = edits.revision_edit(acting_user=superuser, answer=in_review, content=content(section0_body="I [1]."))
    answer = edits.revision_edit(acting_user=author, answer=answer, content=content(section0_body="Iron [1]."))
    assert [r.created_by for r in answer.revisions.order_by("number")] == [drafter, superuser, author]
    assert answer.pending_revision.parent.parent == answer.revisions.get(number=1)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED])
def test_only_a_draft_in_review_can_be_edited(answer_in, editor, status):
    answer = answer_in(status)
    before = _writes()
    with pytest.raises((InvalidState, NotAllowed)):
        edits.revision_edit(acting_user=editor, answer=answer, content=content(section0_body="I [1]."))
    assert _writes() == before


def test_an_edit_of_a_revision_replaced_meanwhile_is_a_conflict(in_review, editor, board_member):
    seen = in_review.pending_revision_id
    edits.revision_edit(acting_user=board_member, answer=in_review, content=content(section0_body="I [1]."))
    before = _writes()

    with pytest.raises(Conflict):
        edits.revision_edit(
            acting_user=editor, answer=in_review, content=content(section0_body="Iron [1]."), expected_revision=seen
        )
    assert _writes() == before


def test_the_drafting_system_reads_its_edited_draft_as_superseded(api, draft_payload, board_member, editor):
    created = api.post("/api/v1/drafts/", draft_payload()).json()
    answer = services.answer_start_review(acting_user=board_member, answer=created["answer_id"])

    edits.revision_edit(acting_user=editor, answer=answer, content=content(section0_body="Oral iron, 65 mg [1]."))

    draft = api.get(f"/api/v1/drafts/{created['id']}/").json()
    assert (draft["status"], draft["answer_status"]) == ("superseded", Status.UNDER_REVIEW)
