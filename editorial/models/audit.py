"""The append-only, hash-chained audit trail."""

import pgtrigger
from django.conf import settings
from django.db import models

from answers import clock
from answers.models import ImmutableModel


class AuditAction(models.TextChoices):
    """Every action the audit trail knows, with the label people read.

    The one vocabulary of the trail: services write these, the admin history,
    the reports, the notifications and the webhooks read them. The values are
    stored in `AuditEvent.action` and hashed into the chain, so an existing
    value never changes; a new action is a new member.
    """

    SUBMIT = "vetted.answer.submit", "Submitted a revision"
    ASSIGN = "vetted.answer.assign", "Assigned a reviewer"
    START_REVIEW = "vetted.answer.start_review", "Started review"
    APPROVE = "vetted.answer.approve", "Approved"
    REAFFIRM = "vetted.answer.reaffirm", "Re-reviewed and re-approved"
    REQUEST_CHANGES = "vetted.answer.request_changes", "Requested changes"
    REJECT = "vetted.answer.reject", "Rejected"
    RETRACT = "vetted.answer.retract", "Retracted"
    REVIEW_DUE = "vetted.answer.review_due", "Marked due for re-review"
    CITATION_VERDICT = "vetted.citation.verdict", "Recorded a citation verdict"
    CITATION_WAIVE = "vetted.citation.waive", "Waived a citation check"
    COMMENT = "vetted.comment.add", "Commented"
    COMMENT_RESOLVE = "vetted.comment.resolve", "Resolved a comment"
    COMMENT_REOPEN = "vetted.comment.reopen", "Reopened a comment"
    FOLLOWUP_CLAIM = "vetted.followup.claim", "A drafting system claimed a follow-up question"
    SIGNATURE_FAILED = "vetted.signature.fail", "Failed to sign (wrong password)"
    PROFILE_CHANGE = "vetted.profile.change", "Changed a public reviewer profile"
    REVISION_WITHDRAW = "vetted.revision.withdraw", "Withdrew the pending revision with the retraction"
    RISK_CHANGE = "vetted.revision.risk", "Changed the risk tier"
    REVISION_EDIT = "vetted.revision.edit", "Edited the draft in review (a new revision)"
    FIRST_APPROVE = "vetted.answer.first_approve", "Approved (first of two approvals)"
    CITATION_ADJUDICATE = "vetted.citation.adjudicate", "Adjudicated a disagreement on a citation"


class AuditEvent(ImmutableModel):
    """One row per user action, never changed, never deleted.

    Foreign keys do not cascade and carry no database constraint, so the
    trail outlives what it describes; labels are copied for that reason.
    On PostgreSQL a trigger refuses UPDATE and DELETE on the table.
    """

    uuid = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    action = models.CharField(max_length=80, choices=AuditAction.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    answer = models.ForeignKey(
        "answers.Answer",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    revision = models.ForeignKey(
        "answers.Revision",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    revision_hash = models.CharField(max_length=64, blank=True)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["answer", "id"]),
            models.Index(fields=["action", "created_at"]),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # TRUNCATE skips row triggers: refuse it with a statement trigger.
            pgtrigger.Trigger(
                name="audit_no_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % (the audit trail is append-only)', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.label} by {self.actor_label or 'system'}"

    @property
    def label(self) -> str:
        return self.get_action_display()

    @property
    def drafter_comments(self) -> list[dict]:
        """The open comments a decision sent with its reason (`{"section", "quote", "comment"}`, gathered
        by "Request changes" when taken; [] for other events): the API's decisions and the webhook read it."""
        comments = (self.data or {}).get("comments")
        return comments if isinstance(comments, list) else []
