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

from datetime import date

from answers import clock
from answers.models import Answer
from editorial.review import services
from tests import factories
from tests.factories import APPROVAL, at, record_verdicts

MONDAY = "2026-01-05"  # T0 is 09:00 that day
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


def build(*, drafter, maya, daniel, specialty, other_specialty) -> dict:
    """Write the history above; returns the answers a to e and the two reviewers by name."""
    medrafter = {"model_name": "medrafter", "model_version": "1.0"}
    writer = {"model_name": "guideline-writer", "model_version": "2.3"}

    def submit(question, spec, model, body="First draft [1] and [2]."):
        draft = factories.draft(spec, question=question, **model)
        draft.sections[0]["body"] = body
        return Answer.objects.get(pk=services.draft_submit(acting_user=drafter, draft=draft).answer_id)

    def step(hours, fn, *, day=0, **kwargs):
        """Run fn `hours` after 09:00 on day `day` of the week (T0 + day + hours)."""
        with clock.travel(at(MONDAY, 9 + hours, days=day)):
            return fn(**kwargs)

    a = step(0, submit, question="Question A?", spec=specialty, model=medrafter)
    b = step(0, submit, question="Question B?", spec=specialty, model=medrafter)
    c = step(0, submit, question="Question C?", spec=other_specialty, model=writer)
    step(1, services.answer_start_review, acting_user=daniel, answer=c)
    step(2, services.answer_start_review, acting_user=maya, answer=a)
    step(2, record_verdicts, reviewer=daniel, answer=c, verdicts=["verified", "unverifiable"])
    step(3, record_verdicts, reviewer=maya, answer=a, verdicts=["verified", "verified"])
    step(3, services.answer_reject, acting_user=daniel, answer=c, reason=REJECT_REASON)
    step(4, services.answer_start_review, acting_user=maya, answer=b)
    step(5, services.answer_approve, acting_user=maya, answer=a, attestation=APPROVAL)
    step(5, record_verdicts, reviewer=maya, answer=b, verdicts=["unsupported", "unverifiable"])
    step(6, services.answer_request_changes, acting_user=maya, answer=b, reason=CHANGE_REASON)
    step(10, submit, question="Question B?", spec=specialty, model=medrafter, body="Second draft [1] and [2].")
    step(12, services.answer_start_review, acting_user=maya, answer=b)
    step(13, record_verdicts, reviewer=maya, answer=b, verdicts=["verified", "verified"])
    step(20, services.answer_approve, acting_user=maya, answer=b, attestation=APPROVAL)

    d = step(0, submit, day=1, question="Question D?", spec=other_specialty, model=writer)
    step(1, services.answer_start_review, day=1, acting_user=daniel, answer=d)
    step(2, record_verdicts, day=1, reviewer=daniel, answer=d, verdicts=["verified", "verified"])
    step(11, services.answer_approve, day=1, acting_user=daniel, answer=d, attestation=APPROVAL)
    e = step(0, submit, day=2, question="Question E?", spec=specialty, model=medrafter)
    step(0, services.answer_retract, day=3, acting_user=daniel, answer=d, reason="Guideline changed.")
    # A's review date brought forward (as a board might after a guideline update), so its
    # re-approval on day 4 is due: re-approval needs the answer due for re-review.
    Answer.objects.filter(pk=a.pk).update(next_review_due=at(MONDAY, 0, days=4).date())
    step(0, services.answer_reaffirm, day=4, acting_user=daniel, answer=a, attestation=APPROVAL)
    for answer in (a, b, c, d, e):
        answer.refresh_from_db()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "maya": maya, "daniel": daniel}
