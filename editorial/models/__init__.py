"""Editorial models, one module per concept.

The lowest editorial layer: may import `answers` only.
"""

from editorial.models.api import ApiToken, DraftReceipt, WebhookAttempt, WebhookDelivery
from editorial.models.audit import AuditAction, AuditEvent
from editorial.models.checkpoints import AuditCheckpoint
from editorial.models.exports import ExportStatus, ReportExport
from editorial.models.notifications import NotificationKind, NotificationPreference
from editorial.models.outbox import NotificationDelivery, OutboxMessage
from editorial.models.review import CitationAdjudication, CitationVerdict, Comment, SecondVerdict, Verdict
from editorial.models.risk import HighAlertDrug

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditCheckpoint",
    "AuditEvent",
    "CitationAdjudication",
    "CitationVerdict",
    "Comment",
    "DraftReceipt",
    "ExportStatus",
    "HighAlertDrug",
    "NotificationDelivery",
    "NotificationKind",
    "NotificationPreference",
    "OutboxMessage",
    "ReportExport",
    "SecondVerdict",
    "Verdict",
    "WebhookAttempt",
    "WebhookDelivery",
]
