"""Editorial models, one module per concept."""

from editorial.models.api import ApiToken, DraftReceipt, WebhookAttempt, WebhookDelivery  # noqa: F401
from editorial.models.audit import AuditEvent
from editorial.models.checkpoints import AuditCheckpoint
from editorial.models.exports import ExportStatus, ReportExport
from editorial.models.notifications import NotificationKind, NotificationPreference
from editorial.models.outbox import NotificationDelivery, OutboxMessage
from editorial.models.review import CitationVerdict, Comment, Verdict

__all__ = ["AuditEvent", "CitationVerdict", "Comment", "Verdict"]
__all__ += ["NotificationDelivery", "NotificationKind", "NotificationPreference", "OutboxMessage"]
__all__ += ["ExportStatus", "ReportExport"]
__all__ += ["AuditCheckpoint"]
