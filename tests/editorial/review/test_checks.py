import pytest

from answers.models import Status
from editorial.errors import Invalid, InvalidState, NotAllowed
from editorial.models import CitationVerdict, Comment
from editorial.review import checks


def test_the_holder_records_a_verdict_with_a_note(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.first()
    checks.citation_verdict_record(
        acting_user=board_member, citation=citation, verdict="unverifiable", note="Not found"
    )
    verdict = CitationVerdict.objects.get(citation=citation)
    assert (verdict.verdict, verdict.note, verdict.reviewer) == ("unverifiable", "Not found", board_member)
    event = answer.audit_events.get(action="vetted.citation.verdict")
    assert event.data == {"citation": 1, "reference": "Guideline on iron deficiency, 2021", "verdict": "unverifiable"}


def test_a_changed_verdict_replaces_the_earlier_one(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.first()
    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="unsupported")
    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified")
    assert CitationVerdict.objects.get(citation=citation).verdict == "verified"
    assert answer.audit_events.filter(action="vetted.citation.verdict").count() == 2


def test_only_the_holder_records_verdicts(answer_in, second_board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.first()
    for user in (second_board_member, editor):
        with pytest.raises(NotAllowed):
            checks.citation_verdict_record(acting_user=user, citation=citation, verdict="verified")
    assert not CitationVerdict.objects.exists()


def test_verdicts_are_only_for_a_revision_under_review(answer_in, board_member):
    answer = answer_in(Status.SUBMITTED)
    citation = answer.pending_revision.citations.first()
    with pytest.raises(InvalidState):
        checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified")


def test_an_unknown_verdict_is_refused(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    with pytest.raises(Invalid):
        checks.citation_verdict_record(
            acting_user=board_member, citation=answer.pending_revision.citations.first(), verdict="maybe"
        )


def test_board_members_and_editors_comment_and_it_is_audited(answer_in, board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    checks.comment_add(acting_user=board_member, answer=answer, body="Check the dose in section 1.")
    checks.comment_add(acting_user=editor, answer=answer, body="Agreed.")
    assert [c.body for c in Comment.objects.filter(answer=answer)] == ["Check the dose in section 1.", "Agreed."]
    assert answer.audit_events.filter(action="vetted.comment.add").count() == 2


@pytest.mark.parametrize("who", ["reader", "drafter"])
def test_others_cannot_comment(answer_in, request, who):
    answer = answer_in(Status.SUBMITTED)
    with pytest.raises(NotAllowed):
        checks.comment_add(acting_user=request.getfixturevalue(who), answer=answer, body="Hello")
    assert not Comment.objects.exists()


def test_an_empty_or_oversized_comment_is_refused(answer_in, editor):
    answer = answer_in(Status.SUBMITTED)
    with pytest.raises(Invalid):
        checks.comment_add(acting_user=editor, answer=answer, body="   ")
    with pytest.raises(Invalid):
        checks.comment_add(acting_user=editor, answer=answer, body="x" * (checks.COMMENT_MAX + 1))
    assert not Comment.objects.exists()


def test_an_editor_cannot_waive_checks_on_a_revision_they_wrote(specialty, board_member, editor):
    from django.contrib.auth.models import Group

    from answers.models import Answer
    from editorial.review import services
    from tests import factories

    editor.groups.add(Group.objects.get(name="Editors"))
    revision = services.draft_submit(acting_user=editor, draft=factories.draft(specialty, source_kind="human"))
    answer = Answer.objects.get(pk=revision.answer_id)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    citation = revision.citations.first()
    with pytest.raises(NotAllowed, match="You wrote this revision"):
        checks.citation_verdict_waive(acting_user=editor, citation=citation, reason="Fine by me.")
    assert not CitationVerdict.objects.filter(citation=citation).exists()


def test_a_verdict_carries_the_revision_and_model_of_its_citation(submit, board_member, editor):
    """The draft quality report counts verdicts by `CitationVerdict.revision`, so each must name its own."""
    from editorial.review import services

    answer = submit(model_name="medrafter", model_version="1.0")
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    answer.refresh_from_db()
    first = answer.pending_revision
    checks.citation_verdict_record(acting_user=board_member, citation=first.citations.get(number=1), verdict="verified")
    checks.citation_verdict_waive(acting_user=editor, citation=first.citations.get(number=2), reason="Known source.")
    answer = services.answer_request_changes(acting_user=board_member, answer=answer, reason="Fix the dose.")
    answer = submit(model_name="medrafter", model_version="1.1")
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    answer.refresh_from_db()
    second = answer.pending_revision
    assert second != first
    checks.citation_verdict_record(
        acting_user=board_member, citation=second.citations.get(number=1), verdict="unsupported"
    )

    rows = CitationVerdict.objects.order_by("pk").values_list(
        "citation__revision", "revision", "revision__model_name", "revision__model_version"
    )
    assert list(rows) == [
        (first.pk, first.pk, "medrafter", "1.0"),
        (first.pk, first.pk, "medrafter", "1.0"),
        (second.pk, second.pk, "medrafter", "1.1"),
    ]
