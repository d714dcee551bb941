"""The demo's high-risk answers (issue 15): one in each state of the two-approval flow, driven
through the services by the demo board, with an intact audit chain and valid signatures."""

from io import StringIO

from django.core.management import call_command

from answers.models import RiskTier, Signature, SignatureMeaning, Status
from editorial.demo import high_risk
from editorial.models import CitationAdjudication, SecondVerdict
from editorial.review import double


def _load(capsys) -> str:
    call_command("load_demo", "--answers", "0")
    return capsys.readouterr().out


def test_the_demo_has_a_high_risk_answer_in_every_state_of_the_two_approval_flow(db, capsys):
    out = _load(capsys)
    demo = dict(high_risk.answers())
    assert len(demo) == len(high_risk.CASES)
    assert {a.status for a in demo.values()} == {
        Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED, Status.AWAITING_SECOND_REVIEW,
        Status.SECOND_REVIEW, Status.APPROVED, Status.REJECTED, Status.RETRACTED,
    }  # fmt: skip
    for answer in demo.values():
        revision = answer.pending_revision or answer.live_revision or answer.revisions.latest("pk")
        assert revision.review.risk_tier == RiskTier.HIGH, answer.question.text

    awaiting = demo["awaiting-second-review"]
    assert awaiting.status == Status.AWAITING_SECOND_REVIEW and awaiting.reviewer is None
    [first] = Signature.objects.filter(revision=awaiting.pending_revision)
    assert (first.signer.username, first.meaning) == ("dr.chen", SignatureMeaning.APPROVED)

    # In its second review, dr.okafor has recorded one verdict of three: he is still blind.
    blind = demo["second-review"]
    assert (blind.status, blind.reviewer.username) == (Status.SECOND_REVIEW, "dr.okafor")
    assert double.is_blind(blind.reviewer, blind)

    adjudicated = demo["adjudicated"]
    assert adjudicated.status == Status.APPROVED and adjudicated.approved_by.username == "dr.okafor"
    [adjudication] = CitationAdjudication.objects.filter(answer=adjudicated)
    assert (adjudication.first_verdict, adjudication.second_verdict) == ("verified", "unverifiable")
    assert adjudication.adjudicated_by.username == "editor" and adjudication.reason == high_risk.ADJUDICATION_REASON
    assert SecondVerdict.objects.filter(answer=adjudicated, reviewer__username="dr.okafor").count() == 3
    signed = Signature.objects.filter(revision=adjudicated.live_revision).order_by("pk")
    meanings = list(signed.values_list("signer__username", "meaning"))
    assert meanings == [
        ("dr.chen", SignatureMeaning.APPROVED),
        ("editor", SignatureMeaning.ADJUDICATED),
        ("dr.okafor", SignatureMeaning.SECOND_APPROVAL),
    ]

    # The summary names them, with their admin pages.
    assert "Awaiting second review" in out and f"/admin/answers/answer/{awaiting.pk}/change/" in out
    assert "disagreement adjudicated by an editor" in out

    # The audit chain and every signature still verify.
    call_command("verify_audit", stdout=StringIO())
    signatures = StringIO()
    call_command("verify_signatures", stdout=signatures)  # raises CommandError on any mismatch
    assert f"{Signature.objects.count()} signatures checked: each matches" in signatures.getvalue()


def test_the_high_risk_answers_are_added_once(db, capsys):
    _load(capsys)
    count = Signature.objects.count()
    _load(capsys)
    assert len(high_risk.answers()) == len(high_risk.CASES) and Signature.objects.count() == count
