"""High-risk demo answers, one in each state of the two-approval flow (issue 15).

Each draft gives a dose, so its review is `risk_tier == "high"` (editorial.review.risk). They are
driven through the same services as real reviews, by the demo board: dr.chen gives the first
approval, dr.okafor (never the first approver, never an author) the second review, blind until his
own verdicts are in; the editor adjudicates the one disagreement. Both members hold the specialties
used here (Hematology/Oncology, Cardiology), so the specialty rule holds with either setting.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from answers import clock
from answers.models import Answer, Revision, Specialty, Status
from editorial.review import checks, double, services

EXTERNAL_ID_PREFIX = "demo-high-risk-"
ADJUDICATION_REASON = "The trial's abstract reports the 400 mg dose and the response rate: the citation supports it."


@dataclass(frozen=True)
class Case:
    key: str  # external id suffix
    outcome: str  # a Status value, or "adjudicated" (approved after an adjudicated disagreement)
    specialty: str
    question: str
    dose_sentence: str
    drug: str


CASES = [
    Case(
        "submitted",
        Status.SUBMITTED,
        "cardiology",
        "What dose of apixaban is used for atrial fibrillation in older adults?",
        "The usual dose is 5 mg twice daily, reduced to 2.5 mg twice daily when two of age 80 or over, "
        "weight 60 kg or less, or raised creatinine apply",
        "apixaban",
    ),
    Case(
        "under-review",
        Status.UNDER_REVIEW,
        "hematology-oncology",
        "How is venous thromboembolism treated during pregnancy?",
        "Low-molecular-weight heparin is weight-adjusted, for example enoxaparin 1 mg/kg twice daily",
        "enoxaparin",
    ),
    Case(
        "changes-requested",
        Status.CHANGES_REQUESTED,
        "hematology-oncology",
        "What starting dose of hydroxyurea is used in sickle cell disease?",
        "Hydroxyurea is started at 15 mg/kg once daily and titrated to the maximum tolerated dose",
        "hydroxyurea",
    ),
    Case(
        "awaiting-second-review",
        Status.AWAITING_SECOND_REVIEW,
        "cardiology",
        "What is the oral loading dose of amiodarone for atrial fibrillation?",
        "A common oral loading regimen is amiodarone 200 mg three times daily for one week",
        "amiodarone",
    ),
    Case(
        "second-review",
        Status.SECOND_REVIEW,
        "cardiology",
        "What dose of digoxin controls the ventricular rate in heart failure?",
        "Maintenance digoxin is usually 62.5 to 250 mcg once daily, guided by renal function",
        "digoxin",
    ),
    Case(
        "adjudicated",
        "adjudicated",
        "hematology-oncology",
        "What is the standard dose of imatinib in chronic-phase chronic myeloid leukaemia?",
        "Imatinib is given at 400 mg once daily in chronic phase",
        "imatinib",
    ),
    Case(
        "rejected",
        Status.REJECTED,
        "hematology-oncology",
        "Can methotrexate 25 mg weekly be given with trimethoprim?",
        "Methotrexate 25 mg weekly with trimethoprim raises the risk of marrow suppression",
        "methotrexate",
    ),
    Case(
        "retracted",
        Status.RETRACTED,
        "cardiology",
        "What dose of aspirin is used after an acute coronary syndrome?",
        "Aspirin 75 to 100 mg once daily is continued long term",
        "aspirin",
    ),
]


def _draft(case: Case, specialty: Specialty) -> services.Draft:
    references = [
        (f"Guideline on the use of {case.drug}", "Demo Guideline Series", 2023),
        (f"Randomised trial of {case.drug} dosing", "Demo Journal of Medicine", 2021),
        (f"Adverse events of {case.drug}: a review", "Demo Clinical Review", 2022),
    ]
    citations = [
        {"number": n, "title": title, "journal": journal, "year": year}
        for n, (title, journal, year) in enumerate(references, start=1)
    ]
    sections = [
        {"heading": "From the Guidelines", "body": f"{case.dose_sentence} [1]."},
        {"heading": "From the Research", "body": "- Trials support this dosing [2]."},
        {"heading": "Key Findings", "body": f"- {case.dose_sentence} [1, 2]."},
        {"heading": "Adverse Events", "body": f"- Adverse events of {case.drug} are dose-related [3]."},
    ]
    return services.Draft(
        question=case.question,
        specialty=specialty,
        sections=sections,
        citations=citations,
        model_name="medrafter",
        model_version="1.1",
        external_id=EXTERNAL_ID_PREFIX + case.key,
    )


def _verdicts(reviewer, answer_id: int, verdicts: list[str], note: str = "") -> None:
    answer = Answer.objects.get(pk=answer_id)
    citations = answer.pending_revision.citations.order_by("number")
    for citation, verdict in zip(citations, verdicts, strict=False):
        checks.citation_verdict_record(
            acting_user=reviewer, citation=citation, verdict=verdict, note="" if verdict == "verified" else note
        )


def _run(case: Case, *, users: dict, specialty: Specialty, start: datetime) -> None:
    first, second, editor = users["dr.chen"], users["dr.okafor"], users["editor"]
    attest = settings.APPROVAL_ATTESTATION
    moments = iter(start + timedelta(hours=3 * i) for i in range(20))

    def at(step):
        with clock.travel(next(moments)):
            return step()

    pk = at(lambda: services.draft_submit(acting_user=users["drafter"], draft=_draft(case, specialty)).answer_id)
    if case.outcome == Status.SUBMITTED:
        return
    at(lambda: services.answer_start_review(acting_user=first, answer=pk))
    if case.outcome == Status.UNDER_REVIEW:
        at(lambda: _verdicts(first, pk, ["verified"]))  # one citation checked so far
        return
    if case.outcome == Status.CHANGES_REQUESTED:
        at(lambda: _verdicts(first, pk, ["verified", "unsupported", "verified"], "The trial used 20 mg/kg."))
        at(lambda: services.answer_request_changes(acting_user=first, answer=pk, reason="Dose in citation 2 differs."))
        return
    if case.outcome == Status.REJECTED:
        at(lambda: services.answer_reject(acting_user=first, answer=pk, reason="Interaction advice must come "
                                          "from the pharmacist guidance, not a drafted answer."))  # fmt: skip
        return
    at(lambda: _verdicts(first, pk, ["verified"] * 3))
    at(lambda: services.answer_approve(acting_user=first, answer=pk, attestation=attest))  # first approval
    if case.outcome == Status.AWAITING_SECOND_REVIEW:
        return
    at(lambda: services.answer_start_review(acting_user=second, answer=pk))
    if case.outcome == Status.SECOND_REVIEW:
        at(lambda: _verdicts(second, pk, ["verified"]))  # still blind: one of three recorded
        return
    if case.outcome == "adjudicated":
        at(lambda: _verdicts(second, pk, ["verified", "unverifiable", "verified"], "Could not find the dose."))
        citation = Answer.objects.get(pk=pk).pending_revision.citations.get(number=2)
        at(lambda: double.citation_adjudicate(
            acting_user=editor, citation=citation, verdict="verified", reason=ADJUDICATION_REASON
        ))  # fmt: skip
    else:
        at(lambda: _verdicts(second, pk, ["verified"] * 3))
    at(lambda: services.answer_approve(acting_user=second, answer=pk, attestation=attest))  # second approval
    if case.outcome == Status.RETRACTED:
        at(lambda: services.answer_retract(acting_user=editor, answer=pk, reason="A newer guideline lowered the dose."))


def exists() -> bool:
    return Revision.objects.filter(external_id__startswith=EXTERNAL_ID_PREFIX).exists()


def build(*, users: dict, now: datetime) -> None:
    """Create the high-risk demo answers (once: callers check `exists()`), in the days before `now`."""
    specialties = {s.slug: s for s in Specialty.objects.all()}
    for i, case in enumerate(CASES):
        _run(case, users=users, specialty=specialties[case.specialty], start=now - timedelta(days=len(CASES) - i + 1))


def answers() -> list[tuple[str, Answer]]:
    """(case key, answer) for each high-risk demo answer present, in CASES order."""
    by_id = {
        r.external_id: r.answer
        for r in Revision.objects.filter(external_id__startswith=EXTERNAL_ID_PREFIX).select_related("answer__question")
    }
    return [(c.key, by_id[EXTERNAL_ID_PREFIX + c.key]) for c in CASES if EXTERNAL_ID_PREFIX + c.key in by_id]
