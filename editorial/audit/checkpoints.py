"""Signed checkpoints of the audit chain's head: proof the trail was not cut or rewritten.

The hash chain (editorial/audit/trail.py) shows that no event was changed or removed
*without re-chaining what follows*. Someone able to turn PostgreSQL's triggers
off can still delete the last events, or rewrite one and recompute every hash
after it: the chain then verifies. A checkpoint pins the head: the last
event's id, the number of events up to it and its hash, with the time, signed
with an Ed25519 key kept outside the database (`AUDIT_SIGNING_KEY`). An
auditor keeps the exported JSON file and the public key elsewhere;
`verify_audit --checkpoint FILE` then fails when the chain no longer reaches
that head. As with Certificate Transparency's signed tree heads, a checkpoint
proves nothing about events after it, nor that an event was ever written.

Checkpoints are written on demand (`manage.py audit_checkpoint`) and by Celery
beat (task `editorial.audit_checkpoint`, which also logs the signed JSON, so a
copy reaches the log store); each is stored in `AuditCheckpoint`.
"""

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from celery import shared_task
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from answers import clock
from editorial.audit.keys import load_private_key
from editorial.audit.trail import GENESIS
from editorial.models import AuditCheckpoint, AuditEvent

log = logging.getLogger(__name__)

FORMAT = "vetted-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "head_id", "event_count", "head_hash", "signed_at", "key_id")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read as one."""


# -- keys ----------------------------------------------------------------------


def signing_key() -> Ed25519PrivateKey:
    return load_private_key(settings.AUDIT_SIGNING_KEY)


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    key = key or signing_key().public_key()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public_key(text: str) -> Ed25519PublicKey:
    """PEM (as `audit_checkpoint --public-key` prints it) or base64 of the 32 raw bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError as exc:
        raise CheckpointError(f"not an Ed25519 public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError("not an Ed25519 public key")
    return key


# -- writing -------------------------------------------------------------------


def _message(statement: dict) -> bytes:
    """The signed bytes: the statement's fields as canonical JSON."""
    return json.dumps({name: statement[name] for name in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def chain_head() -> tuple[int, int, str]:
    """(last event's id, events up to it, its hash); (0, 0, GENESIS) for an empty trail.

    Writers append under one lock and take their id inside it, so ids follow
    commit order and no event below the head can still be on its way.
    """
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return 0, 0, GENESIS
    head_id, head_hash = head
    return head_id, AuditEvent.objects.filter(id__lte=head_id).count(), head_hash


def write_checkpoint(*, only_if_moved: bool = False) -> tuple[AuditCheckpoint, bool]:
    """Sign and store the chain's current head. Returns (checkpoint, created).

    With `only_if_moved`, a head already signed with this key is not signed again.
    """
    key = signing_key()
    signer = key_id(key.public_key())
    head_id, count, head_hash = chain_head()
    if only_if_moved:
        last = AuditCheckpoint.objects.filter(key_id=signer).order_by("-id").first()
        if last is not None and (last.head_id, last.event_count, last.head_hash) == (head_id, count, head_hash):
            return last, False
    checkpoint = AuditCheckpoint(
        head_id=head_id, event_count=count, head_hash=head_hash, signed_at=clock.now(), key_id=signer
    )
    checkpoint.signature = base64.b64encode(key.sign(_message(export(checkpoint, signed=False)))).decode()
    checkpoint.save()
    return checkpoint, True


def export(checkpoint: AuditCheckpoint, *, signed: bool = True) -> dict:
    """The checkpoint as the small JSON document an auditor keeps."""
    statement = {
        "format": FORMAT,
        "head_id": checkpoint.head_id,
        "event_count": checkpoint.event_count,
        "head_hash": checkpoint.head_hash,
        "signed_at": _timestamp(checkpoint.signed_at),
        "key_id": checkpoint.key_id,
    }
    if signed:
        statement["signature"] = checkpoint.signature
    return statement


def dumps(statement: dict) -> str:
    return json.dumps(statement, indent=2, sort_keys=True) + "\n"


@shared_task(name="editorial.audit_checkpoint")
def audit_checkpoint() -> int:
    """Beat: sign the head when it moved, and log the signed JSON (a copy outside the database)."""
    checkpoint, created = write_checkpoint(only_if_moved=True)
    if created:
        log.info("Audit checkpoint %s", json.dumps(export(checkpoint), sort_keys=True))
    return checkpoint.head_id


# -- checking ------------------------------------------------------------------


@dataclass
class CheckpointResult:
    head_id: int
    event_count: int
    problems: list[str]


def read(text: str) -> dict:
    """The statement of a checkpoint file; CheckpointError when it is not one."""
    try:
        statement = json.loads(text)
    except ValueError as exc:
        raise CheckpointError(f"not JSON: {exc}") from None
    if not isinstance(statement, dict) or statement.get("format") != FORMAT:
        raise CheckpointError(f"not a {FORMAT} document")
    missing = [name for name in (*SIGNED_FIELDS, "signature") if name not in statement]
    if missing:
        raise CheckpointError(f"missing {', '.join(missing)}")
    for name in ("head_id", "event_count"):
        if type(statement[name]) is not int or statement[name] < 0:
            raise CheckpointError(f"{name} is not a whole number")
    return statement


def signature_problem(statement: dict, public_key: Ed25519PublicKey) -> str | None:
    if statement["key_id"] != key_id(public_key):
        return (
            f"it was signed with key {statement['key_id'][:16]}…, not the trusted key {key_id(public_key)[:16]}… "
            "(pass the key it was signed with as --public-key)"
        )
    try:
        public_key.verify(base64.b64decode(statement["signature"], validate=True), _message(statement))
    except (InvalidSignature, TypeError, ValueError):
        return "its signature is invalid (the file was altered, or not signed with the trusted key)"
    return None


def verify_checkpoint(statement: dict, public_key: Ed25519PublicKey) -> CheckpointResult:
    """Does the stored chain still reach the signed head? (The chain's own links are verify_chain's.)"""
    head_id, count = statement["head_id"], statement["event_count"]
    problem = signature_problem(statement, public_key)
    if problem is not None:
        return CheckpointResult(head_id, count, [problem])
    if head_id == 0:
        return CheckpointResult(head_id, count, [])  # signed while the trail was empty: proves nothing
    problems = []
    stored = AuditEvent.objects.filter(id=head_id).values_list("hash", flat=True).first()
    if stored is None:
        problems.append(f"event {head_id}, its head, is missing (the trail was cut, or the event removed)")
    elif stored != statement["head_hash"]:
        problems.append(f"event {head_id}, its head, has another hash (the trail was rewritten up to it)")
    found = AuditEvent.objects.filter(id__lte=head_id).count()
    if found != count:
        problems.append(f"it counted {count} events up to event {head_id}; the trail holds {found}")
    return CheckpointResult(head_id, count, problems)


def verify_stored_checkpoints(public_key: Ed25519PublicKey, *, batch_size: int = 5000) -> tuple[int, int, list[str]]:
    """Check the checkpoints kept in the database against the trail.

    Returns (checked, skipped because signed with another key, problems). With
    the chain intact from its start (verify_chain), a head whose hash matches
    also fixes every event before it, so the count is not queried here.
    A copy kept outside the database is the real proof: whoever can cut the
    trail can also delete these rows.
    """
    trusted = key_id(public_key)
    checked = skipped = 0
    problems = []
    rows = AuditCheckpoint.objects.order_by("id")
    batch: list[AuditCheckpoint] = []

    def check(batch: list[AuditCheckpoint]) -> None:
        heads = dict(AuditEvent.objects.filter(id__in={c.head_id for c in batch}).values_list("id", "hash").iterator())
        for checkpoint in batch:
            statement = export(checkpoint)
            name = f"Stored checkpoint {checkpoint.pk} (event {checkpoint.head_id})"
            problem = signature_problem(statement, public_key)
            if problem is None and checkpoint.head_id:
                if checkpoint.head_id not in heads:
                    problem = f"event {checkpoint.head_id}, its head, is missing (the trail was cut)"
                elif heads[checkpoint.head_id] != checkpoint.head_hash:
                    problem = f"event {checkpoint.head_id}, its head, has another hash (the trail was rewritten)"
            if problem:
                problems.append(f"{name}: {problem}.")

    for checkpoint in rows.iterator(chunk_size=batch_size):
        if checkpoint.key_id != trusted:
            skipped += 1
            continue
        checked += 1
        batch.append(checkpoint)
        if len(batch) >= batch_size:
            check(batch)
            batch = []
    if batch:
        check(batch)
    return checked, skipped, problems
