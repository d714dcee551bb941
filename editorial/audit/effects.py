"""Outside effects of audit events: the single place where notifications and
webhooks hook into the review.

`event_written()` runs inside the service's transaction, right after the
audit event is written, so whatever it records commits or rolls back with the
decision itself. Senders that need the broker must only be queued from here
with `transaction.on_commit`.
"""

from editorial.audit.trail import audit_record
from editorial.models import AuditEvent

# Handlers registered by features that react to events (notifications,
# webhooks). Each is called with the event inside the transaction.
_handlers: list = []


def subscribe(handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def event_written(event: AuditEvent) -> None:
    for handler in _handlers:
        handler(event)


def record(**fields) -> AuditEvent:
    """Write one audit event (`editorial.audit.trail.audit_record`) and hand it to the
    subscribers: what every service does after its change, in its transaction."""
    event = audit_record(**fields)
    event_written(event)
    return event


def record_on_citation(*, action, actor, answer, citation, reason: str = "", **data) -> AuditEvent:
    """An event about one citation of the answer (a verdict, a waiver, an adjudication): the
    answer's state unchanged, the citation named by number and short reference in its data."""
    return record(
        action=action,
        actor=actor,
        answer=answer,
        revision=citation.revision,
        from_state=answer.status,
        to_state=answer.status,
        reason=reason,
        data={"citation": citation.number, "reference": citation.short_reference, **data},
    )


def events_written(events: list[AuditEvent]) -> None:
    """Many events written together (a sweep): a handler with a `many`
    attribute gets them in one call, so it can record them in one insert."""
    for handler in _handlers:
        many = getattr(handler, "many", None)
        if many is not None:
            many(events)
        else:
            for event in events:
                handler(event)
