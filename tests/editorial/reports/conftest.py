"""A small review history, built through the real services at known times.

Its figures are worked out by hand below each step; the report tests compare
the pages, the CSV exports and the command with them.

Week of Monday 5 January 2026 (T0 = 09:00 that day), UTC:

- A (medrafter 1.0, haematology): submitted T0, review started by Maya +2h,
  two citations verified +3h, approved +5h.  Re-reviewed by Daniel on day 4.
- B (medrafter 1.0, haematology): submitted T0, Maya starts +4h, marks one
  citation unsupported and one unverifiable +5h, requests changes +6h;
  resubmitted +10h, Maya starts +12h, verifies both +13h, approves +20h.
- C (guideline-writer 2.3, cardiology): submitted T0, Daniel starts +1h,
  verified + unverifiable +2h, rejects +3h.
- D (guideline-writer 2.3, cardiology): submitted day 1 09:00, Daniel starts
  +1h, verifies both +2h, approves +11h; Daniel retracts it on day 3 09:00.
- E (medrafter 1.0, haematology): submitted day 2 09:00, still waiting.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from answers import clock
from answers.models import Answer
from editorial.review import checks, services
from tests.conftest import APPROVAL, make_draft

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RANGE = {"date_from": "2026-01-01", "date_to": "2026-01-20"}
CHANGE_REASON = "=SUM(A1) the dose is given in the wrong units"
REJECT_REASON = "Out of scope"

H = 3600.0
EXPECTED = {
    # Submission (start of the cycle) to approval: A 5h, B 20h, D 11h.
    "turnaround": {"approvals": 3, "median_h": 11.0, "p90_h": 18.2},
    # Finished stays starting in the range, in hours.
    "time_in_state": {
        "submitted": {"stays": 5, "mean": 2.0, "median": 2.0, "p90": 3.2},  # 2, 4, 2, 1, 1
        "under_review": {"stays": 5, "mean": 5.0, "median": 3.0, "p90": 9.2},  # 3, 2, 8, 2, 10
        "changes_requested": {"stays": 1, "mean": 4.0, "median": 4.0, "p90": 4.0},  # B: 6h -> 10h
        "approved": {"stays": 1, "mean": 37.0, "median": 37.0, "p90": 37.0},  # D: day 1 20:00 -> day 3 09:00
    },
    "throughput_week": {
        "week": date(2026, 1, 5),
        "submissions": 6,
        "approvals": 3,
        "changes_requested": 1,
        "rejections": 1,
        "retractions": 1,
    },
    # username -> (approvals, changes, rejections, retractions, median review hours, re-reviews)
    "reviewers": {"maya": (2, 1, 0, 0, 3.0, 0), "daniel": (1, 0, 1, 1, 6.0, 1)},
    # model -> (first-pass decisions, first-pass rate %, approvals, mean rounds, checked, unverifiable %, unsupported %)
    "quality": {
        "guideline-writer 2.3": (2, 50.0, 1, 0.0, 4, 25.0, 0.0),
        "medrafter 1.0": (2, 50.0, 2, 0.5, 6, 16.7, 16.7),
    },
}


def at(hours: float = 0, days: int = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def _verdicts(reviewer, answer, verdicts):
    answer.refresh_from_db()
    for citation, verdict in zip(answer.pending_revision.citations.order_by("number"), verdicts, strict=True):
        checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict=verdict)


@pytest.fixture
def history(db, drafter, board_member, second_board_member, editor, specialty, other_specialty):
    maya, daniel = board_member, second_board_member
    medrafter = {"model_name": "medrafter", "model_version": "1.0"}
    writer = {"model_name": "guideline-writer", "model_version": "2.3"}

    def submit(question, spec, model, body="First draft [1] and [2]."):
        draft = make_draft(spec, question=question, **model)
        draft.sections[0]["body"] = body
        return Answer.objects.get(pk=services.draft_submit(acting_user=drafter, draft=draft).answer_id)

    def step(moment, fn, **kwargs):
        with clock.travel(moment):
            return fn(**kwargs)

    a = step(at(0), submit, question="Question A?", spec=specialty, model=medrafter)
    b = step(at(0), submit, question="Question B?", spec=specialty, model=medrafter)
    c = step(at(0), submit, question="Question C?", spec=other_specialty, model=writer)
    step(at(1), services.answer_start_review, acting_user=daniel, answer=c)
    step(at(2), services.answer_start_review, acting_user=maya, answer=a)
    step(at(2), _verdicts, reviewer=daniel, answer=c, verdicts=["verified", "unverifiable"])
    step(at(3), _verdicts, reviewer=maya, answer=a, verdicts=["verified", "verified"])
    step(at(3), services.answer_reject, acting_user=daniel, answer=c, reason=REJECT_REASON)
    step(at(4), services.answer_start_review, acting_user=maya, answer=b)
    step(at(5), services.answer_approve, acting_user=maya, answer=a, attestation=APPROVAL)
    step(at(5), _verdicts, reviewer=maya, answer=b, verdicts=["unsupported", "unverifiable"])
    step(at(6), services.answer_request_changes, acting_user=maya, answer=b, reason=CHANGE_REASON)
    step(at(10), submit, question="Question B?", spec=specialty, model=medrafter, body="Second draft [1] and [2].")
    step(at(12), services.answer_start_review, acting_user=maya, answer=b)
    step(at(13), _verdicts, reviewer=maya, answer=b, verdicts=["verified", "verified"])
    step(at(20), services.answer_approve, acting_user=maya, answer=b, attestation=APPROVAL)

    d = step(at(0, days=1), submit, question="Question D?", spec=other_specialty, model=writer)
    step(at(1, days=1), services.answer_start_review, acting_user=daniel, answer=d)
    step(at(2, days=1), _verdicts, reviewer=daniel, answer=d, verdicts=["verified", "verified"])
    step(at(11, days=1), services.answer_approve, acting_user=daniel, answer=d, attestation=APPROVAL)
    e = step(at(0, days=2), submit, question="Question E?", spec=specialty, model=medrafter)
    step(at(0, days=3), services.answer_retract, acting_user=daniel, answer=d, reason="Guideline changed.")
    # A's review date brought forward (as a board might after a guideline update), so its
    # re-approval on day 4 is due: re-approval needs the answer due for re-review.
    Answer.objects.filter(pk=a.pk).update(next_review_due=at(0, days=4).date())
    step(at(0, days=4), services.answer_reaffirm, acting_user=daniel, answer=a, attestation=APPROVAL)
    for answer in (a, b, c, d, e):
        answer.refresh_from_db()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "maya": maya, "daniel": daniel}
