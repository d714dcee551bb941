"""The review decisions, each declared once.

A `Decision` names its django-fsm transition on `answers.models.Answer`, the
audit action it writes, the right it needs (`editorial.access.rights`), what
must be done before it (blockers), what it asks for (a reason, the
attestation) and the words people read. The services
(`editorial.review.services`), the admin's buttons and forms, and the API all
read these declarations; nothing else lists the decisions.
"""

from collections.abc import Callable
from dataclasses import dataclass

from answers.models import Answer, SignatureMeaning, Status
from editorial.access import rights
from editorial.models import AuditAction
from editorial.review.checks import approval_blockers, comments_for_drafter


@dataclass(frozen=True)
class Decision:
    name: str  # the transition on Answer; also the admin's button and URL
    action: AuditAction  # the audit event it writes
    right: rights.Right  # who may take it
    verb: str  # "Cannot {verb} this answer: ..."
    label: str  # the button
    help_text: str = ""
    needs_reason: bool = False  # a written reason, audited and sent to the drafting system
    needs_attestation: bool = False  # the attestation and the password, like an electronic signature
    blockers: Callable[[Answer], list[str]] | None = None  # what must be done first (empty: nothing)
    blocked: str = ""  # how a refusal by the blockers begins
    # The transition it runs on the pending revision's own review (`answers.models.RevisionReview`);
    # empty for a decision about the live content only.
    revision_step: str = ""
    # The meaning of the electronic signature it records (`answers.models.SignatureMeaning`), if it signs.
    signs: str = ""
    # What the decision gathers into its audit event's data when taken (and so into what the
    # drafting system receives: the API's decisions, the webhook): e.g. the open comments.
    gathers: Callable[[Answer], dict] | None = None

    def meaning(self, from_status: str) -> str:
        """The meaning of the signature it records from `from_status`: a high-risk revision's
        approval in its second review is its "Second approval"."""
        if self.signs == SignatureMeaning.APPROVED and from_status == Status.SECOND_REVIEW:
            return SignatureMeaning.SECOND_APPROVAL
        return self.signs

    def refusal(self, *, user, answer: Answer) -> str | None:
        """Why `user` may not take this decision on `answer`, or None (the right only, not the state)."""
        return rights.refusal(self.right, user=user, answer=answer)


SUBMIT = Decision("submit", AuditAction.SUBMIT, rights.may_submit, verb="submit a revision of", label="Submit")
START_REVIEW = Decision(
    "start_review",
    AuditAction.START_REVIEW,
    rights.may_start_review,
    verb="start review of",
    label="Start review",
    help_text="Claim this review.",
    revision_step="start_review",
)
APPROVE = Decision(
    "approve",
    AuditAction.APPROVE,
    rights.may_decide,
    verb="approve",
    label="Approve",
    help_text="Publish this revision to readers.",
    needs_attestation=True,
    blockers=approval_blockers,
    blocked="Approval is blocked",
    revision_step="approve",
    signs=SignatureMeaning.APPROVED,
)
# A high-risk revision's first approval: signed like an approval ("Approved for publication"),
# published only once a second board member approves it too (APPROVE, "Second approval").
FIRST_APPROVE = Decision(
    "first_approve",
    AuditAction.FIRST_APPROVE,
    rights.may_decide,
    verb="approve",
    label="Approve",
    help_text="First of two approvals (high risk): a second board member reviews it before it is published.",
    needs_attestation=True,
    blockers=approval_blockers,
    blocked="Approval is blocked",
    revision_step="first_approve",
    signs=SignatureMeaning.APPROVED,
)
REAFFIRM = Decision(
    "reaffirm",
    AuditAction.REAFFIRM,
    rights.may_reaffirm,
    verb="re-approve",
    label="Re-approve",
    help_text="Confirm the live content after re-review.",
    needs_attestation=True,
    signs=SignatureMeaning.REAPPROVED,
)
REQUEST_CHANGES = Decision(
    "request_changes",
    AuditAction.REQUEST_CHANGES,
    rights.may_decide,
    verb="request changes to",
    label="Request changes",
    help_text="Send the draft back with a reason (and the open comments on it).",
    needs_reason=True,
    revision_step="request_changes",
    gathers=comments_for_drafter,
)
REJECT = Decision(
    "reject",
    AuditAction.REJECT,
    rights.may_decide,
    verb="reject",
    label="Reject",
    help_text="Refuse this draft for good (published content stays published).",
    needs_reason=True,
    revision_step="reject",
)
RETRACT = Decision(
    "retract",
    AuditAction.RETRACT,
    rights.may_retract,
    verb="retract",
    label="Retract",
    help_text="Withdraw the approved answer from readers (and any draft pending with it).",
    needs_reason=True,
    revision_step="withdraw",
)

EDIT = Decision(
    "edit",
    AuditAction.REVISION_EDIT,
    rights.may_edit_draft,
    verb="edit the draft of",
    label="Edit the draft",
    help_text="Correct the draft yourself: your edit becomes a new revision that another board member approves.",
    revision_step="supersede",
)

# Every decision by name. `submit` has no button: drafts arrive through the
# drafting API (or import_drafts), never from the review page; `edit` has its own
# page, linked from the review page (`editorial.review.edits`, `editorial.admin.edits`).
DECISIONS: dict[str, Decision] = {
    d.name: d for d in (SUBMIT, START_REVIEW, FIRST_APPROVE, APPROVE, REAFFIRM, REQUEST_CHANGES, REJECT, RETRACT, EDIT)
}
# The review page's buttons, in the order shown (the state machine offers one of the two approvals).
BUTTONS: tuple[Decision, ...] = (START_REVIEW, FIRST_APPROVE, APPROVE, REAFFIRM, REQUEST_CHANGES, REJECT, RETRACT)
