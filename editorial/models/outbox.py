"""The notification outbox and the record of e-mails sent.

An `OutboxMessage` is written in the same transaction as the audit event (or
by a sweep) and handed to the broker on commit; `relay_outbox` hands over
rows the broker never got. A `NotificationDelivery` per (message, recipient)
is claimed before sending and marked sent after, so a retried or redelivered
task never sends the same e-mail twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from answers import clock
from editorial.models.notifications import NotificationKind


class OutboxMessage(models.Model):
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    event = models.ForeignKey(
        "editorial.AuditEvent",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    answer = models.ForeignKey(
        "answers.Answer", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Reminders: the breach is (answer, since = when it entered the state, stage).
    # Digests: since = the start of the week.
    since = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the broker.")
    done_at = models.DateTimeField(null=True, blank=True, help_text="Every recipient has had the e-mail.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "since", "stage"],
                condition=Q(kind=NotificationKind.REMINDER),
                name="one_reminder_per_breach_and_stage",
            ),
            models.UniqueConstraint(
                fields=["since"], condition=Q(kind=NotificationKind.DIGEST), name="one_digest_per_week"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], condition=Q(done_at__isnull=True), name="outbox_undelivered")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NotificationDelivery(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "notification deliveries"
        constraints = [models.UniqueConstraint(fields=["message", "recipient"], name="one_delivery_per_recipient")]

    def __str__(self) -> str:
        return f"{self.message} to {self.recipient}"
