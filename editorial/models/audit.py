"""The append-only, hash-chained audit trail."""

import pgtrigger
from django.conf import settings
from django.db import models

from answers import clock
from answers.models import ImmutableModel


class AuditEvent(ImmutableModel):
    """One row per user action, never changed, never deleted.

    Foreign keys do not cascade and carry no database constraint, so the
    trail outlives what it describes; labels are copied for that reason.
    On PostgreSQL a trigger refuses UPDATE and DELETE on the table.
    """

    uuid = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
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
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} by {self.actor_label or 'system'}"

    @property
    def label(self) -> str:
        from editorial.audit.trail import action_label

        return action_label(self.action)
