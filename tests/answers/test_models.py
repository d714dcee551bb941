import pytest
from django.db import IntegrityError
from django_fsm import TransitionNotAllowed

from answers.models import Answer, Citation, ImmutableError, Revision, Section, Status


def test_a_saved_revision_cannot_be_changed(submit):
    revision = submit().pending_revision
    revision.model_version = "9.9"
    with pytest.raises(ImmutableError):
        revision.save()
    revision.refresh_from_db()
    assert revision.model_version == "1.0"


def test_saving_an_unchanged_revision_is_harmless(submit):
    revision = submit().pending_revision
    revision.save()
    assert Revision.objects.get(pk=revision.pk).content_hash == revision.content_hash


def test_sections_and_citations_cannot_be_changed(submit):
    revision = submit().pending_revision
    section = revision.sections.first()
    section.body = "Tampered"
    with pytest.raises(ImmutableError):
        section.save()
    citation = revision.citations.first()
    citation.title = "Invented"
    with pytest.raises(ImmutableError):
        citation.save()


def test_querysets_refuse_update_and_delete_of_revisions(submit):
    submit()
    with pytest.raises(ImmutableError):
        Revision.objects.update(model_name="x")
    with pytest.raises(ImmutableError):
        Section.objects.all().delete()
    with pytest.raises(ImmutableError):
        Citation.objects.first().delete()
    assert Section.objects.count() == 2


def test_revision_hash_matches_its_stored_content(submit):
    revision = submit().pending_revision
    assert len(revision.content_hash) == 64
    assert revision.verify_hash()


def test_the_same_content_gives_the_same_hash_and_other_content_another(submit, specialty):
    first = submit(question="Question one about anaemia?").pending_revision
    same = submit(question="Question two about anaemia?").pending_revision
    other = submit(
        question="Question three about anaemia?", sections=[{"heading": "From the Guidelines", "body": "Other [1]."}]
    ).pending_revision
    assert first.content_hash == same.content_hash
    assert other.content_hash != first.content_hash


def test_status_cannot_be_assigned_directly(submit):
    answer = submit()
    with pytest.raises(AttributeError):
        answer.status = Status.APPROVED


def test_a_transition_from_the_wrong_state_raises(submit):
    answer = submit()
    with pytest.raises(TransitionNotAllowed):
        answer.approve(by=None)


def test_one_answer_per_question_and_audience(submit):
    answer = submit()
    with pytest.raises(IntegrityError):
        Answer.objects.create(question=answer.question, audience=answer.audience)


def test_public_answers_are_those_with_live_content(answer_in):
    approved = answer_in(Status.APPROVED, question="Approved one?")
    answer_in(Status.SUBMITTED, question="Submitted one?")
    answer_in(Status.RETRACTED, question="Retracted one?")
    assert list(Answer.objects.public()) == [approved]
