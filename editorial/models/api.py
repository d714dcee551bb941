"""What the drafting API keeps: tokens, the drafts it received, and webhook deliveries.

Tokens are stored as a SHA-256 digest: they are 256-bit random strings, so a
fast hash is enough (no password stretching needed) and lets us look a token
up by its digest. The webhook secret has to stay readable, since we sign with
it; it is shown once, like the token, when the token is created.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from answers import clock
from answers.models import Revision

TOKEN_PREFIX = "vt_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120, help_text="What this token is for, e.g. the drafting system's host.")
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    webhook_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; returns it with the raw value, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=token_digest(raw),
            webhook_secret=secrets.token_hex(32),
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DraftReceipt(models.Model):
    """One draft received through the API or `import_drafts`, keyed by its submitter and external id.

    `payload_hash` covers everything the drafting system sent, so the same
    external id with other content can be refused while a retry is answered.
    """

    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="receipt")
    # Unique per submitting user, as the revision's own external_id (answers.Revision's constraint).
    external_id = models.CharField(max_length=200, db_index=True)
    payload_hash = models.CharField(max_length=64)
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="receipts")
    callback_url = models.URLField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.external_id


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class WebhookDelivery(models.Model):
    """A decision to POST to a drafting system's callback URL, retried until it lands or a day passes."""

    receipt = models.ForeignKey(DraftReceipt, on_delete=models.PROTECT, related_name="deliveries")
    event_uuid = models.UUIDField(unique=True, help_text="The audit event this delivery reports.")
    event = models.CharField(max_length=40)
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} for {self.receipt} to {self.url}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=clock.now)
    duration_ms = models.PositiveIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(
        blank=True, help_text="At most 200 characters of the response, control characters removed."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number")]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
