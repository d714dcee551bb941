from django.contrib.auth.models import User
from django.core.management import call_command

from answers.models import Answer, Question, ReviewerProfile, Status
from editorial.audit.content import verify_approved_content
from editorial.audit.trail import verify_chain
from editorial.models import AuditAction, AuditEvent

SEED = "What are the latest publications on the use of inotuzumab ozogamicin"


def _load(capsys) -> str:
    call_command("load_demo", "--answers", "40")
    return capsys.readouterr().out


def test_demo_loads_the_seed_answer_approved_with_its_history(db, capsys):
    out = _load(capsys)
    answer = Answer.objects.get(question__text__startswith=SEED)
    assert answer.status == Status.APPROVED
    assert str(answer.last_updated) == "2025-03-24"
    assert str(answer.last_reviewed) == "2026-03-25"
    revision = answer.live_revision
    assert [s.heading for s in revision.sections.all()] == [
        "From the Guidelines", "From the Research", "Key Findings", "Adverse Events",
    ]  # fmt: skip
    assert revision.citations.count() == 6
    assert revision.verify_hash()
    assert "vetted-chen-demo" in out and "drafter" in out


def test_demo_spreads_answers_over_every_state_with_an_intact_chain(db, capsys):
    _load(capsys)
    states = set(Answer.objects.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED} <= states
    checked, broken = verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()
    approved, changed = verify_approved_content()
    assert approved and changed == []


def test_demo_is_idempotent_and_resets_demo_passwords(db, capsys):
    _load(capsys)
    counts = (Question.objects.count(), AuditEvent.objects.count(), User.objects.count())
    editor = User.objects.get(username="editor")
    editor.set_password("changed")
    editor.save()
    _load(capsys)
    assert (Question.objects.count(), AuditEvent.objects.count(), User.objects.count()) == counts
    assert User.objects.get(username="editor").check_password("vetted-editor-demo")


def test_demo_prints_a_working_api_token_and_revokes_the_previous_one(db, capsys, client):
    import re

    from editorial.models import ApiToken

    first = re.search(r"\n  (vt_\S+)", _load(capsys)).group(1)
    second = re.search(r"\n  (vt_\S+)", _load(capsys)).group(1)
    assert first != second
    assert ApiToken.objects.filter(user__username="drafter", revoked_at__isnull=True).count() == 1
    assert client.get("/api/v1/answers/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert client.get("/api/v1/answers/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401


REVIEW_ACTIONS = [
    AuditAction.START_REVIEW, AuditAction.CITATION_VERDICT, AuditAction.APPROVE, AuditAction.REAFFIRM,
    AuditAction.REQUEST_CHANGES, AuditAction.REJECT,
]  # fmt: skip


def test_every_demo_review_is_by_a_member_holding_the_answers_specialty(db, capsys, settings):
    # With the rule off the services would let any board member review: the demo obeys it by itself.
    settings.REVIEW_REQUIRES_SPECIALTY = False
    _load(capsys)
    held = {
        (p.user_id, s.pk) for p in ReviewerProfile.objects.prefetch_related("specialties") for s in p.specialties.all()
    }

    answers = Answer.objects.select_related("question")
    people = [(a, a.reviewer_id) for a in answers if a.reviewer_id] + [
        (a, a.approved_by_id) for a in answers if a.approved_by_id
    ]
    assert len(people) > 40
    assert [(a.question.text, who) for a, who in people if (who, a.question.specialty_id) not in held] == []

    events = AuditEvent.objects.filter(action__in=REVIEW_ACTIONS).select_related("answer__question")
    assert {AuditAction.START_REVIEW, AuditAction.CITATION_VERDICT, AuditAction.APPROVE, AuditAction.REAFFIRM} <= {
        e.action for e in events
    }
    assert [
        (e.action, e.answer.question.text) for e in events if (e.actor_id, e.answer.question.specialty_id) not in held
    ] == []

    endocrinology = Answer.objects.filter(question__specialty__slug="endocrinology", approved_by__isnull=False)
    assert endocrinology.exists()
    assert not endocrinology.filter(approved_by__username="dr.chen").exists()  # hematology/oncology and cardiology only


def test_the_demo_board_page_shows_a_declared_interest_that_refuses_nothing(db, capsys, client):
    from answers.models import DeclaredInterest
    from tests.xss_corpus import visible_text

    call_command("load_demo", "--answers", "0")
    call_command("load_demo", "--answers", "0")  # idempotent: one row, not two
    declared = DeclaredInterest.objects.get()
    assert (declared.name, declared.end is not None) == ("Medscape", True)
    page = visible_text(client.get("/medical-advisory-board/").content.decode())
    assert "Medscape (company, from 2023-01-01 to 2023-12-31): Speaker fees" in page
