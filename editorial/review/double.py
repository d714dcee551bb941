"""Two independent approvals of a high-risk revision (issue 15).

A revision whose review is `risk_tier == "high"` is approved twice, by two
board members (`answers.models.Answer.first_approve`, then `approve`):

- the first approval (audit `vetted.answer.first_approve`, signature "Approved
  for publication") publishes nothing: the answer awaits a second review,
  unassigned;
- the second reviewer (never the first, never an author of the revision or of
  one it was edited from; `editorial.access.rights`) reviews **blind**: until
  they have recorded their own verdict on every citation (`SecondVerdict`, one
  per citation and reviewer), the workspace shows them none of the first
  reviewer's verdicts, notes, comments or audit events (`is_blind`). From then
  on their verdicts are final and both reviews show side by side;
- where the two verdicts on a citation differ, approval is blocked until an
  editor or a third board member adjudicates it (`citation_adjudicate`: the
  final verdict with a reason, audited `vetted.citation.adjudicate`, signed
  "Adjudicated");
- the second approval publishes it (audit `vetted.answer.approve`, signature
  "Second approval").

The first review's verdicts stay in `CitationVerdict` (one per citation), the
second reviewer's in `SecondVerdict`; waivers belong to the first review.
"""

from dataclasses import dataclass, field

from django.db import transaction

from answers import clock
from answers.models import SECOND_REVIEW_STATUSES, Answer, Citation, SignatureMeaning, Status
from editorial.access import rights
from editorial.access.roles import is_board_member
from editorial.audit import effects
from editorial.audit.trail import user_label
from editorial.errors import Blocked, Invalid, InvalidState
from editorial.models import AuditAction, CitationAdjudication, CitationVerdict, SecondVerdict, Verdict
from editorial.review import signing

NOTE_MAX = 2000  # as a verdict's note (editorial.review.checks)


@dataclass
class SecondReview:
    """Both reviews of a high-risk revision in its second review, per citation."""

    answer: Answer
    citations: list[Citation]
    first: dict[int, CitationVerdict] = field(default_factory=dict)  # by citation id
    second: dict[int, SecondVerdict] = field(default_factory=dict)  # the holder's, by citation id
    adjudications: dict[int, CitationAdjudication] = field(default_factory=dict)
    first_approver_id: int | None = None

    @property
    def holder_id(self) -> int | None:
        return self.answer.reviewer_id if self.answer.status == Status.SECOND_REVIEW else None

    @property
    def recorded(self) -> int:
        return sum(c.pk in self.second for c in self.citations)

    @property
    def complete(self) -> bool:
        """The holder has recorded their own verdict on every citation: the review is no longer blind."""
        return self.holder_id is not None and self.recorded == len(self.citations)

    def waived(self, citation: Citation) -> bool:
        first = self.first.get(citation.pk)
        return first is not None and first.waived_at is not None

    def disagrees(self, citation: Citation) -> bool:
        """Both reviewers recorded a verdict on it, and they differ (a waived citation never disagrees)."""
        first, second = self.first.get(citation.pk), self.second.get(citation.pk)
        if self.waived(citation) or first is None or second is None or not first.verdict:
            return False
        return first.verdict != second.verdict

    def final_verdict(self, citation: Citation) -> str:
        if (adjudication := self.adjudications.get(citation.pk)) is not None:
            return adjudication.verdict
        second = self.second.get(citation.pk)
        return second.verdict if second is not None else ""

    def blocker(self, citation: Citation) -> str | None:
        """Why this citation keeps the second approval back, or None. Disagreements are named only once
        the second reviewer's verdicts are complete (before, naming one would tell the first verdict)."""
        if self.waived(citation):
            return None
        if citation.pk not in self.second:
            return f"Citation {citation.number} has not been checked in the second review."
        if not self.complete:
            return None
        if self.disagrees(citation) and citation.pk not in self.adjudications:
            return (
                f"Citation {citation.number}: the two reviewers disagree; "
                "an editor or a third board member must adjudicate it."
            )
        if self.final_verdict(citation) == Verdict.UNSUPPORTED:
            return f"Citation {citation.number} is marked as not supporting the claim."
        return None

    def blockers(self) -> list[str]:
        return [why for c in self.citations if (why := self.blocker(c))]

    @property
    def disagreements(self) -> list[Citation]:
        return [c for c in self.citations if self.disagrees(c)] if self.complete else []


def second_review_of(answer: Answer) -> SecondReview | None:
    """Both reviews of the answer's pending revision while it is in its second review (else None):
    four queries, whatever the number of citations."""
    if answer.status not in SECOND_REVIEW_STATUSES or answer.pending_revision_id is None:
        return None
    citations = list(Citation.objects.filter(revision_id=answer.pending_revision_id).order_by("number"))
    ids = [c.pk for c in citations]
    holder = answer.reviewer_id if answer.status == Status.SECOND_REVIEW else None
    return SecondReview(
        answer=answer,
        citations=citations,
        first={
            v.citation_id: v for v in CitationVerdict.objects.filter(citation_id__in=ids).select_related("reviewer")
        },
        second={
            v.citation_id: v
            for v in SecondVerdict.objects.filter(citation_id__in=ids, reviewer_id=holder).select_related("reviewer")
        }
        if holder is not None
        else {},
        adjudications={
            a.citation_id: a
            for a in CitationAdjudication.objects.filter(citation_id__in=ids).select_related("adjudicated_by")
        },
        first_approver_id=rights.first_approver_id(answer),
    )


def is_blind(user, answer: Answer, review: SecondReview | None = None) -> bool:
    """Whether `user` must not see the first review of the answer's pending revision now: a board member
    other than its first approver, while the second review is not complete (whoever may still take it,
    and its holder until their own verdicts are all in). Editors who are not board members see it."""
    if answer.status not in SECOND_REVIEW_STATUSES or not is_board_member(user):
        return False
    review = review if review is not None else second_review_of(answer)
    if review is None or review.first_approver_id == user.pk:
        return False
    return not review.complete


def blind_answer_ids(user) -> list[int]:
    """The answers whose first review `user` may not see now (`is_blind`), for the audit list."""
    if not is_board_member(user):
        return []
    answers = Answer.objects.filter(status__in=SECOND_REVIEW_STATUSES)
    return [a.pk for a in answers if is_blind(user, a)]


def second_review_blockers(answer: Answer) -> list[str]:
    review = second_review_of(answer)
    return review.blockers() if review is not None else []


def second_verdict_record(*, acting_user, citation: Citation, answer: Answer, verdict: str, note: str) -> SecondVerdict:
    """The second reviewer's own verdict on one citation (inside `checks.citation_verdict_record`'s
    transaction, the answer locked and the right checked). Final once every citation has one."""
    review = second_review_of(answer)
    if review.complete:
        raise Blocked(
            "Your second-review verdicts are complete and final: they are compared with the first review's; "
            "a disagreement is adjudicated by an editor or a third board member."
        )
    row, _ = SecondVerdict.objects.update_or_create(
        citation=citation,
        reviewer=acting_user,
        defaults={
            "answer": answer,
            "revision_id": citation.revision_id,
            "verdict": verdict,
            "note": note,
            "decided_at": clock.now(),
        },
    )
    effects.record_on_citation(
        action=AuditAction.CITATION_VERDICT,
        actor=acting_user,
        answer=answer,
        citation=citation,
        reason=note,
        verdict=verdict,
        second_review=True,
    )
    return row


def citation_adjudicate(*, acting_user, citation: Citation | int, verdict: str, reason: str) -> CitationAdjudication:
    """An editor or a third board member settles a citation the two reviewers disagree on: the final
    verdict, with a reason; audited and signed ("Adjudicated"). Once per citation."""
    if verdict not in Verdict.values:
        raise Invalid.on("verdict", f"Unknown verdict {verdict!r}.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.on("reason", "An adjudication needs a written reason.")
    if len(reason) > NOTE_MAX:
        raise Invalid.on("reason", f"A reason is at most {NOTE_MAX} characters.")
    citation_id = citation if isinstance(citation, int) else citation.pk
    with transaction.atomic():
        citation = Citation.objects.select_related("revision").get(pk=citation_id)
        answer = (
            Answer.objects.select_for_update().select_related("question__specialty").get(pk=citation.revision.answer_id)
        )
        if answer.status != Status.SECOND_REVIEW or answer.pending_revision_id != citation.revision_id:
            raise InvalidState(
                f"Citation {citation.number} is not part of a revision in its second review.", state=answer.status
            )
        rights.require(rights.may_adjudicate, user=acting_user, answer=answer)
        review = second_review_of(answer)
        if not review.complete:
            raise Blocked(
                "The second reviewer has not yet recorded a verdict on every citation: nothing to adjudicate."
            )
        if citation.pk in review.adjudications:
            raise Blocked(f"Citation {citation.number} was already adjudicated.")
        if not review.disagrees(citation):
            raise Blocked(f"On citation {citation.number} the two reviewers agree: there is nothing to adjudicate.")
        first, second = review.first[citation.pk], review.second[citation.pk]
        adjudication = CitationAdjudication.objects.create(
            citation=citation,
            answer=answer,
            revision=citation.revision,
            first_reviewer=first.reviewer,
            first_verdict=first.verdict,
            second_reviewer=second.reviewer,
            second_verdict=second.verdict,
            verdict=verdict,
            reason=reason,
            adjudicated_by=acting_user,
        )
        effects.record_on_citation(
            action=AuditAction.CITATION_ADJUDICATE,
            actor=acting_user,
            answer=answer,
            citation=citation,
            reason=reason,
            verdict=verdict,
            first=first.verdict,
            second=second.verdict,
            first_reviewer=user_label(first.reviewer),
            second_reviewer=user_label(second.reviewer),
        )
        signing.signature_record(signer=acting_user, revision=citation.revision, meaning=SignatureMeaning.ADJUDICATED)
    return adjudication
