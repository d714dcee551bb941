"""Telling drafting systems what the board decided, by signed webhook.

When an answer is approved, sent back for changes, rejected or retracted, and
the draft concerned came with a `callback_url`, `record_delivery` (an
`editorial.audit.effects` handler) writes a `WebhookDelivery` in the decision's own
transaction and queues the Celery task on commit (through `editorial.enqueue`: a
broker that is down never fails the decision, the delivery waits for the sweep).
`deliver()` makes one attempt, records it, and schedules the next with
exponential backoff until `WEBHOOK_RETRY_WINDOW` has passed since the decision.

Retries are not Celery countdowns: a delay of hours would outlast Redis's
visibility timeout and be delivered twice. Each attempt stores
`next_attempt_at`; short waits are queued with a countdown, and the periodic
`webhook_retry_due` sweep queues whatever is due. `deliver()` claims the row
before sending, so a delivery queued twice is still sent once per attempt.

The body is signed with the submitting token's webhook secret:
`X-Vetted-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.

The URL is the drafting system's choice, so each attempt resolves its host
once, refuses it if any address is loopback, private, link-local, reserved
or multicast (`editorial.webhooks.addresses`, unless `WEBHOOK_ALLOW_PRIVATE`;
a refused URL gives up at once), and connects to the address it checked.
Redirects are never followed (a 3xx is a failed attempt), and only the
status and a short excerpt of the response, control characters removed, are
kept.
"""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from answers import clock
from editorial.enqueue import enqueue, enqueue_on_commit
from editorial.models import ApiToken, AuditAction, AuditEvent, DraftReceipt, WebhookAttempt, WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.webhooks import addresses

SIGNATURE_HEADER = "X-Vetted-Signature"

# Audit actions a drafting system hears about, and the event name it receives.
DECISIONS = {
    AuditAction.APPROVE: "approved",
    AuditAction.REQUEST_CHANGES: "changes_requested",
    AuditAction.REJECT: "rejected",
    AuditAction.RETRACT: "retracted",
    AuditAction.REVISION_WITHDRAW: "withdrawn",
}

# Each attempt holds the delivery this long, so a second worker picking up the
# same id (a duplicate queue entry, the retry sweep) does not send it twice.
_LEASE = timedelta(minutes=5)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str) -> bool:
    """What a drafting system does with the header (documented in the README)."""
    return hmac.compare_digest(sign(body, secret), signature or "")


def decision_payload(event: AuditEvent, receipt: DraftReceipt) -> dict:
    answer = event.answer
    public = answer.is_public
    return {
        "event": DECISIONS[event.action],
        "event_id": str(event.uuid),
        "draft_id": receipt.revision_id,
        "external_id": receipt.external_id,
        "answer_id": answer.pk,
        "revision": receipt.revision.number,
        # The draft's own review; the answer's desk status and what readers get beside it.
        "status": receipt.revision.review.state,
        "answer_status": answer.status,
        "publication": answer.publication,
        "reason": event.reason,
        # With changes_requested: the board's open comments on the draft, in reading order.
        "comments": event.drafter_comments,
        "decided_by": event.actor_label,
        "decided_at": event.created_at.isoformat(),
        "public_url": settings.SITE_URL + answer.get_absolute_url() if public else None,
    }


def record_delivery(event: AuditEvent) -> None:
    """effects handler: runs inside the decision's transaction."""
    if event.action not in DECISIONS or event.revision_id is None:
        return
    receipt = DraftReceipt.objects.select_related("revision__review").filter(revision_id=event.revision_id).first()
    if receipt is None or not receipt.callback_url:
        return
    delivery = WebhookDelivery.objects.create(
        receipt=receipt,
        event_uuid=event.uuid,
        event=DECISIONS[event.action],
        url=receipt.callback_url,
        payload=decision_payload(event, receipt),
        created_at=event.created_at,
        next_attempt_at=event.created_at,
    )
    enqueue_on_commit(webhook_deliver, delivery.pk)


def backoff(attempt: int) -> timedelta:
    """Delay after the `attempt`-th failure: base * 2**(attempt-1), capped."""
    seconds = settings.WEBHOOK_RETRY_BASE.total_seconds() * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_DELAY.total_seconds()))


def _secret_for(receipt: DraftReceipt) -> str | None:
    if receipt.token_id is not None:
        return receipt.token.webhook_secret
    # Imported drafts carry no token: sign with the submitting user's newest one.
    token = ApiToken.objects.active().filter(user_id=receipt.revision.created_by_id).first()
    return token.webhook_secret if token else None


EXCERPT_CHARS = 200
_READ_BYTES = 1024


def excerpt(raw: bytes) -> str:
    """At most EXCERPT_CHARS of a response body, control and format characters replaced by spaces."""
    text = raw.decode("utf-8", "replace")
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    return " ".join(cleaned.split())[:EXCERPT_CHARS]


@dataclass(frozen=True)
class Outcome:
    status: int | None
    excerpt: str = ""
    error: str = ""
    final: bool = False  # refused by the address rule: retrying will not help


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address already resolved and checked, whatever the name resolves to now."""

    def __init__(self, host: str, port: int, *, address: tuple[int, tuple], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def _open(self) -> socket.socket:
        family, sockaddr = self._address
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(sockaddr)
        except OSError:
            sock.close()
            raise
        return sock

    def connect(self):
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: tuple[int, tuple], timeout: float):
        http.client.HTTPSConnection.__init__(self, host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        # The certificate is checked against the URL's host name (SNI too), not the address.
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def _post(url: str, body: bytes, headers: dict) -> Outcome:
    """One POST to a checked address; never follows redirects, never raises for network trouble."""
    try:
        target = addresses.resolve(url)
    except addresses.Refused as exc:
        return Outcome(None, error=str(exc), final=True)
    except (OSError, ValueError) as exc:
        return Outcome(None, error=str(exc))
    timeout = settings.WEBHOOK_TIMEOUT.total_seconds()
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    error = ""
    for address in target.addresses:
        connection = connection_class(target.host, target.port, address=address, timeout=timeout)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            status, text = response.status, excerpt(response.read(_READ_BYTES))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            continue
        finally:
            connection.close()
        if 300 <= status < 400:
            return Outcome(status, text, "Redirects are not followed: a 3xx counts as a failed attempt.")
        return Outcome(status, text)
    return Outcome(None, error=error or "No address to connect to.")


def _claim(delivery_id: int) -> bool:
    now = clock.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + _LEASE)
    return claimed == 1


def deliver(delivery_id: int) -> WebhookAttempt | None:
    """Make one attempt if the delivery is due; returns it (None when not due or already done).

    1. claim the delivery with a conditional update (safe to run twice);
    2. POST the signed payload and record the attempt, whatever happened;
    3. mark it delivered on a 2xx, else set the next attempt by backoff, or
       give up once the retry window since the decision has passed (at once
       when the address rule refuses the URL).
    """
    if not _claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("receipt__token", "receipt__revision").get(pk=delivery_id)
    number = delivery.attempts.count() + 1
    started = clock.now()
    secret = _secret_for(delivery.receipt)
    if secret is None:
        outcome = Outcome(None, error="No active API token to sign the webhook with.")
        duration = 0
    else:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Vetted-Webhook/1",
            SIGNATURE_HEADER: sign(body, secret),
            "X-Vetted-Event": delivery.event,
            "X-Vetted-Delivery": str(delivery.event_uuid),
        }
        tick = time.monotonic()
        outcome = _post(delivery.url, body, headers)
        duration = int((time.monotonic() - tick) * 1000)
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started,
        duration_ms=duration,
        response_status=outcome.status,
        response_body=outcome.excerpt,
        error=outcome.error,
    )
    now = clock.now()
    if attempt.succeeded:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    else:
        next_at = now + backoff(number)
        if secret is None or outcome.final or next_at > delivery.created_at + settings.WEBHOOK_RETRY_WINDOW:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = next_at
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at"])
    return attempt


# Task names pinned to the module they lived in before editorial/ was cut into packages.


@shared_task(name="editorial.tasks_webhooks.webhook_deliver", acks_late=True)
def webhook_deliver(delivery_id: int) -> None:
    attempt = deliver(delivery_id)
    if attempt is None or attempt.succeeded:
        return
    delivery = WebhookDelivery.objects.only("status", "next_attempt_at").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return
    wait = (delivery.next_attempt_at - clock.now()).total_seconds()
    if wait <= settings.WEBHOOK_COUNTDOWN_MAX.total_seconds():
        enqueue(webhook_deliver.s(delivery_id).set(countdown=max(wait, 0)))  # broker down: the sweep


@shared_task(name="editorial.tasks_webhooks.webhook_retry_due")
def webhook_retry_due() -> int:
    """Queue every pending delivery whose next attempt is due (also those whose
    first hand-over the broker never got); returns how many were queued."""
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now()).values_list(
            "pk", flat=True
        )[:1000]
    )
    queued = 0
    for delivery_id in due:
        if not enqueue(webhook_deliver, delivery_id):
            break  # the broker is down: the rest wait for the next sweep
        queued += 1
    return queued
