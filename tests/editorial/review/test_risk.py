"""Risk tiers: rules over a revision's text, the editors' high-alert list, the drafting
system raising (never lowering) the tier, editors changing it with a reason, and a
shorter re-review period for high-risk content."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers import clock
from answers.models import RevisionReview, RiskTier, Status
from editorial.errors import Invalid, NotAllowed
from editorial.models import AuditAction, AuditEvent, HighAlertDrug
from editorial.review import risk, services

pytestmark = pytest.mark.django_db

SEED = json.loads((Path(settings.BASE_DIR) / "editorial" / "demo" / "seed_answer.json").read_text())


def _assess(text: str, question: str = "What is it?"):
    return risk.assess(question=question, sections=[{"heading": "Key Findings", "body": text}])


def _rules(text: str) -> list[tuple[str, str]]:
    return [(m["rule"], m["text"]) for m in _assess(text).matches]


def test_the_seed_answer_is_high_risk_for_its_dose():
    assessment = risk.assess(question=SEED["question"], sections=SEED["sections"])
    assert assessment.tier == RiskTier.HIGH
    assert ("dose", "1.3-1.8 mg/m²") in [(m["rule"], m["text"]) for m in assessment.matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Give 10 mg/kg once daily.", ("dose", "10 mg/kg")),
        ("A dose of 0.5 mcg daily.", ("dose", "0.5 mcg")),
        ("5 units per kg at night.", ("dose", "5 units per kg")),
        ("Infuse 2 g over an hour.", ("dose", "2 g")),
        ("Use 20 mL of saline.", ("dose", "20 mL")),
        ("Give 1000 IU weekly.", ("dose", "1000 IU")),
        ("Safe in Pregnancy.", ("population", "Pregnancy")),
        ("For paediatric patients.", ("population", "paediatric")),
        ("In children under five.", ("population", "children")),
        ("Avoid while breastfeeding.", ("population", "breastfeeding")),
        ("Reduce in renal impairment.", ("population", "renal impairment")),
        ("Monitor neonates closely.", ("population", "neonates")),
        ("Stop Warfarin first.", ("high_alert_drug", "Warfarin")),
        ("Consider insulin glargine.", ("high_alert_drug", "insulin glargine")),
    ],
)
def test_each_rule_matches_on_word_boundaries_whatever_the_case(text, expected):
    assert expected in _rules(text)
    assert _assess(text).tier == RiskTier.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Two groups were compared in 2019.",  # "2 g" inside "2 groups"? no: a word follows
        "Type 2 diabetes is common.",
        "Check 25 mg/dL glucose targets.",  # a lab value, not a dose
        "Magnesium (Mg) levels were normal.",
        "Childhood leukaemia survivors.",
        "The infantry of the immune system.",
        "A heparinoid-free protocol.",
        "COVID-19 vaccines in adults.",
        "Version 1.2 of the guideline.",
    ],
)
def test_look_alikes_do_not_match(text):
    assert _rules(text) == [] and _assess(text).tier == RiskTier.STANDARD


def test_the_editors_list_is_read_at_submission(submit):
    HighAlertDrug.objects.create(name="colchicine", aliases="Colcrys")
    answer = submit(sections=[{"heading": "Key Findings", "body": "Colcrys is first line [1]."}])
    review = RevisionReview.objects.get(revision=answer.pending_revision)
    assert review.risk_tier == RiskTier.HIGH
    assert review.risk_matches == [{"rule": "high_alert_drug", "text": "Colcrys", "where": "Key Findings"}]


def test_a_plain_draft_is_standard(submit):
    answer = submit()  # "Oral iron first [1]." and "Intravenous iron when oral fails [2]."
    assert answer.pending_revision.review.risk_tier == RiskTier.STANDARD


def test_the_drafting_system_raises_the_tier_but_never_lowers_it(api, draft_payload):
    raised = api.post("/api/v1/drafts/", draft_payload(risk="high"))
    assert raised.status_code == 201, raised.json()
    review = RevisionReview.objects.get(revision_id=raised.json()["id"])
    assert review.risk_tier == RiskTier.HIGH
    assert {"rule": "drafting_system", "text": "risk: high", "where": "draft"} in review.risk_matches

    lowered = api.post(
        "/api/v1/drafts/",
        draft_payload(
            external_id="medrafter-0002",
            question="Is iron safe in pregnancy?",
            risk="standard",
        ),
    )
    assert lowered.status_code == 201, lowered.json()
    assert RevisionReview.objects.get(revision_id=lowered.json()["id"]).risk_tier == RiskTier.HIGH  # "pregnancy"

    bad = api.post("/api/v1/drafts/", draft_payload(external_id="medrafter-0003", risk="low"))
    assert bad.status_code == 400 and "risk" in json.dumps(bad.json())


def test_a_retry_without_risk_matches_a_receipt_stored_before_the_field(api, draft_payload):
    first = api.post("/api/v1/drafts/", draft_payload())
    again = api.post("/api/v1/drafts/", draft_payload())
    assert (first.status_code, again.status_code) == (201, 200)


def test_an_editor_changes_the_tier_with_a_reason_audited(submit, editor):
    answer = submit()
    review = services.revision_risk_set(acting_user=editor, answer=answer, tier="high", reason="Paediatric dosing.")
    assert review.risk_tier == RiskTier.HIGH and review.risk_reason == "Paediatric dosing."
    event = AuditEvent.objects.get(action=AuditAction.RISK_CHANGE)
    assert (event.actor_id, event.reason, event.data["from"], event.data["to"]) == (
        editor.pk,
        "Paediatric dosing.",
        "standard",
        "high",
    )
    with pytest.raises(Invalid, match="already high"):
        services.revision_risk_set(acting_user=editor, answer=answer, tier="high", reason="Again.")
    with pytest.raises(Invalid):
        services.revision_risk_set(acting_user=editor, answer=answer, tier="standard", reason=" ")


def test_only_editors_who_did_not_write_it_change_the_tier(submit, board_member, author, drafter):
    answer = submit()
    for user in (board_member, drafter):
        with pytest.raises(NotAllowed):
            services.revision_risk_set(acting_user=user, answer=answer, tier="high", reason="Because.")
    own = submit(acting_user=author, question="Is iron safe in pregnancy?")
    with pytest.raises(NotAllowed, match="You wrote this revision"):
        services.revision_risk_set(acting_user=author, answer=own, tier="standard", reason="Mine.")
    assert not AuditEvent.objects.filter(action=AuditAction.RISK_CHANGE).exists()


def test_high_risk_content_is_due_for_re_review_sooner(answer_in):
    standard = answer_in(Status.APPROVED)
    high = answer_in(
        Status.APPROVED,
        question="Is iron safe in pregnancy?",
        sections=[{"heading": "Key Findings", "body": "Give 200 mg daily [1] [2]."}],
    )
    today = clock.today()
    assert standard.next_review_due == today + settings.REVIEW_INTERVAL
    assert high.next_review_due == today + settings.HIGH_RISK_REVIEW_INTERVAL == today + timedelta(days=180)


def test_the_workspace_shows_the_tier_the_rules_and_the_editors_form(submit, editor, client, board_member):
    answer = submit(sections=[{"heading": "Key Findings", "body": "Give 200 mg daily in pregnancy [1] [2]."}])
    url = reverse("admin:answers_answer_change", args=[answer.pk])
    client.force_login(board_member)
    page = client.get(url).content.decode()
    assert "High risk" in page and "Dose: “200 mg”" in page and "Special population: “pregnancy”" in page
    form = f'action="{reverse("admin:answers_answer_risk", args=[answer.pk])}"'
    assert form not in page  # not an editor
    client.force_login(editor)
    assert form in client.get(url).content.decode()
    response = client.post(reverse("admin:answers_answer_risk", args=[answer.pk]), {"tier": "standard", "reason": ""})
    assert response.status_code == 302
    assert answer.pending_revision.review.risk_tier == RiskTier.HIGH  # a reason is required: nothing written
    client.post(reverse("admin:answers_answer_risk", args=[answer.pk]), {"tier": "standard", "reason": "A recipe."})
    assert RevisionReview.objects.get(revision=answer.pending_revision).risk_tier == RiskTier.STANDARD
