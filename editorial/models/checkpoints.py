"""Signed checkpoints of the audit chain's head (editorial/audit/checkpoints.py)."""

import pgtrigger
from django.db import models

from answers.models import ImmutableModel


class AuditCheckpoint(ImmutableModel):
    """The chain's head at a moment, signed with the Ed25519 key kept outside the database.

    A copy kept elsewhere (`manage.py audit_checkpoint --export FILE`, or the
    log line of the scheduled task) proves that the trail up to `head_id` was
    not rewritten or cut since. Written once, like the events themselves.
    """

    head_id = models.PositiveBigIntegerField(help_text="Id of the last event in the chain (0: empty chain).")
    event_count = models.PositiveBigIntegerField(help_text="Events up to and including the head.")
    head_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(db_index=True)
    key_id = models.CharField(max_length=64, help_text="SHA-256 of the signing key's public key.")
    signature = models.CharField(max_length=100, help_text="Ed25519, base64.")

    class Meta:
        ordering = ["-id"]
        triggers = [
            pgtrigger.Protect(name="checkpoint_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="checkpoint_no_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % (checkpoints are append-only)', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"Checkpoint at event {self.head_id} ({self.event_count} events), {self.signed_at:%Y-%m-%d %H:%M}"
