"""Writing and checking the audit trail.

Every action is logged under a member of `AuditAction`, the one closed
vocabulary of the trail, with its label. Each event
carries the hash of the one before it, so a changed or removed row breaks the
chain and `manage.py verify_audit` names it.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, transaction

from answers import clock
from editorial.models import AuditAction, AuditEvent

GENESIS = "0" * 64

# Any 64-bit number unique to this lock; held until the transaction ends.
_CHAIN_LOCK_KEY = 0x5665747465640001


def action_label(name: str) -> str:
    """The label people read for an action name (the name itself if unknown)."""
    try:
        return AuditAction(name).label
    except ValueError:
        return name


def _event_payload(event: AuditEvent) -> dict:
    return {
        "uuid": str(event.uuid),
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "answer_id": event.answer_id,
        "revision_id": event.revision_id,
        "revision_hash": event.revision_hash,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    encoded = json.dumps(_event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    """Serialise writers so each event links to the one committed before it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    action: AuditAction,
    actor=None,
    answer=None,
    revision=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must run inside transaction.atomic()")
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = AuditEvent(
        uuid=uuid.uuid4(),
        created_at=clock.now(),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=user_label(actor),
        answer=answer,
        revision=revision,
        revision_hash=revision.content_hash if revision is not None else "",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
        prev_hash=last or GENESIS,
    )
    event.hash = event_hash(event)
    event.save()
    return event


def audit_record_many(entries: list[dict], *, actor=None) -> list[AuditEvent]:
    """Append one event per entry with a single insert (system sweeps).

    Each entry holds `action`, `answer_id` and optionally `revision_id`,
    `revision_hash`, `from_state`, `to_state`, `reason`, `data`. The chain is
    linked in Python, in list order, under the same lock as `audit_record()`.
    """
    if not entries:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many() must run inside transaction.atomic()")
    for entry in entries:
        if entry["action"] not in AuditAction.values:
            raise ValueError(f"unknown audit action {entry['action']!r}")
    _lock_chain()
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    now = clock.now()
    events = []
    for entry in entries:
        event = AuditEvent(
            uuid=uuid.uuid4(),
            created_at=now,
            action=entry["action"],
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=user_label(actor),
            answer_id=entry["answer_id"],
            revision_id=entry.get("revision_id"),
            revision_hash=entry.get("revision_hash") or "",
            from_state=entry.get("from_state", ""),
            to_state=entry.get("to_state", ""),
            reason=entry.get("reason", ""),
            data=entry.get("data") or {},
            prev_hash=prev,
        )
        event.hash = prev = event_hash(event)
        events.append(event)
    return AuditEvent.objects.bulk_create(events)


def user_label(actor) -> str:
    """How the trail names a person: "maya (Dr. Maya Chen, MD)", "edith", or "system"."""
    if actor is None or not actor.is_authenticated:
        return "system"
    profile = getattr(actor, "reviewer_profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    if profile is not None:
        return f"{actor.get_username()} ({profile})"
    return actor.get_username()


@dataclass
class ChainBreak:
    event_id: int
    problem: str


def verify_chain(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order. Returns (events checked, first break or None)."""
    expected_prev = GENESIS
    checked = 0
    events = AuditEvent.objects.order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.id, "does not link to the event before it (a row was changed or removed)")
        if event_hash(event) != event.hash:
            return checked, ChainBreak(event.id, "its content does not match its hash (the row was changed)")
        expected_prev = event.hash
        checked += 1
    return checked, None
