"""A believable synthetic history for the demo and the reports.

Each answer gets a plan of review steps at increasing times; the plans of all
answers are merged by time and replayed through the services under a moved
clock, so the audit chain is in time order just as a real history would be.
"""

import heapq
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects

from answers import clock
from answers.models import Answer, Citation, Specialty, Status
from editorial.review import checks, services

TOPICS = {
    "hematology-oncology": [
        "iron deficiency anaemia",
        "immune thrombocytopenia",
        "chronic myeloid leukaemia",
        "febrile neutropenia",
        "venous thromboembolism in cancer",
    ],
    "cardiology": [
        "atrial fibrillation",
        "heart failure with reduced ejection fraction",
        "stable angina",
        "hypertension",
        "hypertrophic cardiomyopathy",
    ],
    "endocrinology": [
        "type 2 diabetes",
        "hypothyroidism",
        "primary hyperparathyroidism",
        "adrenal insufficiency",
        "osteoporosis",
    ],
    "infectious-disease": [
        "community-acquired pneumonia",
        "Clostridioides difficile infection",
        "uncomplicated cystitis",
        "latent tuberculosis",
        "cellulitis",
    ],
    "neurology": ["migraine", "focal epilepsy", "Parkinson disease", "multiple sclerosis", "acute ischaemic stroke"],
    "pulmonology": [
        "asthma",
        "COPD exacerbation",
        "idiopathic pulmonary fibrosis",
        "obstructive sleep apnoea",
        "pulmonary embolism",
    ],
}
QUESTION_FORMS = [
    "What is the first-line treatment for {topic} in adults?",
    "What are the latest publications on the management of {topic} in older adults?",
    "How should {topic} be monitored after treatment starts?",
    "What are the common adverse events of the drugs used for {topic}?",
    "When should a patient with {topic} be referred to a specialist?",
]
AUDIENCE_SUFFIXES = ("", " (explained for patients)")
MODELS = [("medrafter", "1.0"), ("medrafter", "1.1"), ("guideline-writer", "2.3")]
CHANGE_REASONS = [
    "Citation 2 does not support the dosing claim.",
    "The adverse events section omits a boxed warning.",
    "Guideline citation is out of date; use the current edition.",
    "Dose given in the wrong units.",
]
REJECT_REASONS = ["The question is outside the scope of our guidance.", "The draft relies on a retracted study."]
RETRACT_REASONS = ["A newer guideline changed the recommendation.", "A cited trial was retracted."]
OUTCOMES = [
    ("submitted", 20),
    ("under_review", 20),
    ("changes_requested", 20),
    ("approved", 90),
    ("approved_round_trip", 25),
    ("approved_overdue", 10),
    ("rejected", 10),
    ("retracted", 5),
]


def _draft(rng: random.Random, *, question: str, specialty: Specialty, topic: str, round_: int) -> services.Draft:
    name, version = rng.choice(MODELS)
    n_citations = rng.randint(2, 4)
    citations = [
        {
            "number": i,
            "title": f"Demo reference {i} on {topic}",
            "authors": "Demo Author et al.",
            "journal": rng.choice(["Demo Journal of Medicine", "Demo Clinical Review", "Demo Guideline Series"]),
            "year": rng.randint(2015, 2025),
        }
        for i in range(1, n_citations + 1)
    ]
    cite = lambda: f"[{rng.randint(1, n_citations)}]"  # noqa: E731
    sections = [
        {"heading": "From the Guidelines", "body": f"Current guidelines describe the approach to {topic} {cite()}."},
        {
            "heading": "From the Research",
            "body": (
                f"- Recent studies on {topic} report consistent findings {cite()}.\n"
                f"- Evidence in older adults is limited {cite()}."
            ),
        },
        {"heading": "Key Findings", "body": f"- Treatment of {topic} should follow the current guideline {cite()}."},
        {
            "heading": "Adverse Events",
            "body": f"- Adverse events of the usual therapy for {topic} are mostly mild {cite()}.",
        },
    ]
    if round_ > 1:
        sections[0]["body"] += f" (Revised draft {round_}.)"
    return services.Draft(
        question=question,
        specialty=specialty,
        sections=sections,
        citations=citations,
        model_name=name,
        model_version=version,
    )


def _plan(rng, *, start: datetime, outcome: str, users: dict, question: str, specialty, topic: str):
    """Yield (time, step) pairs for one answer's history, in time order.

    The reviewer is a board member holding the answer's specialty, whether or not
    REVIEW_REQUIRES_SPECIALTY is on: the demo shows the board as the board page describes it.
    """
    t = start
    reviewer = rng.choice(_holders(users["board"], specialty))
    state = {"answer": None}

    def gap(low=2, high=60):
        nonlocal t
        t += timedelta(hours=rng.uniform(low, high))
        return t

    def submit(round_):
        def step():
            revision = services.draft_submit(
                acting_user=users["drafter"],
                draft=_draft(rng, question=question, specialty=specialty, topic=topic, round_=round_),
            )
            state["answer"] = revision.answer_id

        return step

    def act(fn, **kwargs):
        return lambda: fn(answer=state["answer"], acting_user=reviewer, **kwargs)

    def check_citations(*, finding_problem: bool):
        """The reviewer's citation verdicts; a problem round marks one unsupported."""

        def step():
            answer = Answer.objects.get(pk=state["answer"])
            citations = list(Citation.objects.filter(revision_id=answer.pending_revision_id))
            bad = rng.choice(citations) if finding_problem else None
            for citation in citations:
                if citation is bad:
                    verdict, note = "unsupported", "The cited study does not report this outcome."
                elif rng.random() < 0.08:
                    verdict, note = "unverifiable", "Could not find this reference."
                else:
                    verdict, note = "verified", ""
                checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict=verdict, note=note)

        return step

    def second_review():
        """A high-risk draft approved once: another board member holding the specialty reviews it
        (their own verdicts, all verified) and gives the second approval. Nothing for a standard one."""

        def step():
            answer = Answer.objects.get(pk=state["answer"])
            if answer.status != Status.AWAITING_SECOND_REVIEW:
                return
            second = next(u for u in _holders(users["board"], specialty) + users["board"] if u != reviewer)
            services.answer_start_review(acting_user=second, answer=answer.pk)
            for citation in Citation.objects.filter(revision_id=answer.pending_revision_id):
                checks.citation_verdict_record(acting_user=second, citation=citation, verdict="verified")
            services.answer_approve(acting_user=second, answer=answer.pk, attestation=settings.APPROVAL_ATTESTATION)

        return step

    attest = settings.APPROVAL_ATTESTATION
    yield t, submit(1)
    if outcome == "submitted":
        return
    yield gap(), act(services.answer_start_review)
    if outcome == "under_review":
        return
    if outcome in {"changes_requested", "approved_round_trip"}:
        yield gap(1, 20), check_citations(finding_problem=True)
        yield gap(), act(services.answer_request_changes, reason=rng.choice(CHANGE_REASONS))
        if outcome == "changes_requested":
            return
        yield gap(), submit(2)
        yield gap(), act(services.answer_start_review)
    if outcome == "rejected":
        yield gap(), act(services.answer_reject, reason=rng.choice(REJECT_REASONS))
        return
    yield gap(1, 20), check_citations(finding_problem=False)
    yield gap(), act(services.answer_approve, attestation=attest)
    yield gap(), second_review()
    if outcome == "retracted":
        yield (
            gap(100, 900),
            lambda: services.answer_retract(
                answer=state["answer"], acting_user=users["editor"], reason=rng.choice(RETRACT_REASONS)
            ),
        )
    if outcome == "approved_overdue":
        due = t + settings.REVIEW_INTERVAL + timedelta(days=1)
        yield due, lambda: services.answer_mark_review_due(answer=state["answer"])


def _holders(board: list, specialty: Specialty) -> list:
    holders = [user for user in board if specialty in user.reviewer_profile.specialties.all()]
    if not holders:
        raise ValueError(f"No demo board member holds {specialty}: give one the specialty in load_demo.PROFILES.")
    return holders


def _questions() -> list[tuple[str, str, str, str]]:
    """Every (specialty, topic, question form, audience) the demo can ask, taking the
    specialties in turn, so any `count` of them spreads over every specialty."""
    per_specialty = [
        [(slug, topic, form, suffix) for topic in topics for form in QUESTION_FORMS for suffix in AUDIENCE_SUFFIXES]
        for slug, topics in TOPICS.items()
    ]
    return [q for group in zip(*per_specialty, strict=True) for q in group]


def build_history(*, users: dict, now: datetime, count: int = 200, seed: int = 7) -> int:
    """Create `count` synthetic answers spread over every state. Returns steps run."""
    rng = random.Random(seed)
    prefetch_related_objects(users["board"], "reviewer_profile__specialties")
    specialties = {s.slug: s for s in Specialty.objects.all()}
    weights = [w for _, w in OUTCOMES]
    plans = []
    for slug, topic, form, audience_suffix in _questions()[:count]:
        outcome = rng.choices([o for o, _ in OUTCOMES], weights=weights)[0]
        if outcome == "approved_overdue":
            start = now - timedelta(days=rng.randint(400, 480))
        else:
            start = now - timedelta(days=rng.uniform(5, 300))
        question = form.format(topic=topic) + audience_suffix
        plans.append(
            _plan(
                rng,
                start=start,
                outcome=outcome,
                users=users,
                question=question,
                specialty=specialties[slug],
                topic=topic,
            )
        )
    steps = 0
    for moment, step in heapq.merge(*plans, key=lambda pair: pair[0]):
        if moment > now:
            continue
        with clock.travel(moment):
            step()
        steps += 1
    return steps


def history_exists() -> bool:
    return Answer.objects.filter(question__text__startswith="What is the first-line treatment for").exists()
