"""Redis dies while readers read and a board member approves (issue 13, "Must show").

One private redis-server (`private_redis`, its own port; the shared Redis is never
touched) is both the cache, configured exactly as config/settings.py configures it
for a REDIS_URL, and the Celery broker of this process and of a real worker
subprocess (`celery -A config worker`) that runs through the whole outage.

Reader threads request answer pages and the list before, during and after the
outage; Redis is killed; a board member approves a drafted answer whose drafting
system gave a callback URL, through the admin's approve POST (attestation and
password, as the review page sends it); Redis is restarted on the same port and
the minute's sweeps hand the waiting work to the broker, twice over.

Must hold: no reader ever gets a 500 and every page shows its answer; the approval
is stored once (one approve event, even when the POST is sent twice); the decision
e-mails and the webhook are delivered once each, after Redis returns.
"""

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from answers import clock
from answers.models import Answer, Status
from editorial.models import AuditAction, AuditEvent, NotificationDelivery, OutboxMessage, WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.notify import outbox
from editorial.review import services
from editorial.webhooks import delivery as webhooks
from tests.editorial.admin.desk import messages_of, review_url, transition_url
from tests.editorial.webhooks.receiver import Receiver
from tests.factories import password_of, verify_citations
from tests.support.maildir import sent
from tests.support.workers import SubprocessWorker, broker_at, wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    # serialized_rollback: the roles' groups survive the flush (the worker reads them).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("allow_private_webhooks"),
]

PUBLISHED = "What is the first-line treatment for gout flares?"
DRAFTED = "What is the first-line treatment for iron deficiency anaemia?"
STALE = "This answer changed while you were looking at it: it is now approved."
# What a request may spend on a broker that is down (as in test_broker_down.py).
PATIENCE = 3.0


@dataclass(frozen=True)
class Read:
    url: str
    status: int | str
    shows_answer: bool
    started: float
    ended: float


class Readers:
    """Reader threads, each with its own test Client, reading `urls` in turn until stopped.
    `show(url, text)` adds a page (and the text it must show) while they run."""

    def __init__(self, pages: dict[str, str], *, threads: int = 3):
        self.pages = dict(pages)
        self.reads: list[Read] = []
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(threads)]

    def show(self, url: str, text: str) -> None:
        self.pages = {**self.pages, url: text}

    def _read(self) -> None:
        reader = Client(raise_request_exception=False)
        try:
            while not self.stopped.is_set():
                for url, text in list(self.pages.items()):
                    started = time.monotonic()
                    try:
                        response = reader.get(url)
                        status, body = response.status_code, response.content.decode()
                    except Exception as exc:  # noqa: BLE001 - anything but a page is a failed read
                        status, body = f"{type(exc).__name__}: {exc}", ""
                    self.reads.append(Read(url, status, text in body, started, time.monotonic()))
                time.sleep(0.01)  # leave the CPU to the board member and the worker now and then
        finally:
            connections.close_all()  # this thread's connection: the test database is dropped at the end

    def reads_between(self, start: float, end: float) -> list[Read]:
        return [r for r in self.reads if start <= r.started and r.ended <= end]

    def wait_for_reads(self, count: int, *, since: float) -> None:
        wait_for(lambda: len([r for r in self.reads if r.started >= since]) >= count, what=f"{count} reads")

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def worker_env(tmp_path):
    maildir = tmp_path / "mail"
    maildir.mkdir()
    return {
        "EMAIL_BACKEND": "tests.support.maildir.MaildirBackend",
        "VETTED_TEST_MAILDIR": str(maildir),
        "WEBHOOK_ALLOW_PRIVATE": "1",  # the receiver listens on 127.0.0.1
    }


def approve_post(board: Client, answer: Answer, member):
    """What the review page's Approve dialog sends."""
    return board.post(
        transition_url(answer, "approve"),
        {"attest": "on", "password": password_of(member), "expected_status": Status.UNDER_REVIEW},
    )


def sweep():
    """The beat tasks of a minute later: the outbox relay and the webhook sweep. Returns what each handed over."""
    with clock.travel(clock.now() + settings.OUTBOX_RELAY_AFTER + timedelta(seconds=1)):
        relayed = outbox.relay_pending()
    return relayed, webhooks.webhook_retry_due()


def test_redis_killed_while_readers_read_and_a_board_member_approves(
    private_redis, production_caches, api, draft_payload, answer_in, board_member, editor, worker_env, tmp_path
):
    maildir = tmp_path / "mail"
    with broker_at(private_redis.url), Receiver() as receiver:
        worker = SubprocessWorker("worker", tmp_path, {**worker_env, "REDIS_URL": private_redis.url})
        try:
            # Before: one published answer; a drafted one, with a callback URL, under review.
            published = answer_in(Status.APPROVED, question=PUBLISHED)
            response = api.post("/api/v1/drafts/", draft_payload(question=DRAFTED, callback_url=receiver.url))
            assert response.status_code == 201
            drafted = Answer.objects.get(pk=response.json()["answer_id"])
            services.answer_start_review(acting_user=board_member, answer=drafted)
            verify_citations(board_member, drafted)
            worker.wait_ready()
            wait_for(lambda: not OutboxMessage.objects.filter(done_at=None).exists(), what="the e-mails so far")
            before = sent(maildir)
            assert before == sorted(["maya@example.org"] * 2 + ["drafter@example.org", "edith@example.org"])

            pages = {published.get_absolute_url(): PUBLISHED, reverse("answers:list"): PUBLISHED}
            with Readers(pages) as readers:
                readers.wait_for_reads(6, since=0)
                assert private_redis.page_keys(), "the readers' pages are cached in the private Redis"

                private_redis.kill()
                killed_at = time.monotonic()
                readers.wait_for_reads(6, since=killed_at)

                # The board member approves while Redis is down, and sends the form twice.
                board = Client(raise_request_exception=False)
                board.force_login(board_member)
                started = time.monotonic()
                first = approve_post(board, drafted, board_member)
                took = time.monotonic() - started
                second = approve_post(board, drafted, board_member)
                # the decision lands the reviewer on the next answer waiting, here none: the queue
                queue = reverse("admin:answers_answer_changelist")
                assert (first.status_code, first["Location"]) == (302, queue)
                assert took < PATIENCE, f"the approval took {took:.1f}s with Redis down"
                assert (second.status_code, second["Location"]) == (302, review_url(drafted))
                assert STALE in messages_of(second)  # refused: the page was stale
                assert board.get(review_url(drafted)).status_code == 200
                readers.show(drafted.get_absolute_url(), DRAFTED)
                approved_at = time.monotonic()
                readers.wait_for_reads(9, since=approved_at)

                # Stored once; nothing delivered yet: the work waits in PostgreSQL.
                assert Answer.objects.get(pk=drafted.pk).status == Status.APPROVED
                assert AuditEvent.objects.filter(answer=drafted, action=AuditAction.APPROVE).count() == 1
                delivery = WebhookDelivery.objects.get()
                assert (delivery.event, delivery.status) == ("approved", DeliveryStatus.PENDING)
                decision = OutboxMessage.objects.get(answer=drafted, event__action=AuditAction.APPROVE)
                assert decision.enqueued_at is None
                assert receiver.requests == [] and sent(maildir) == before

                private_redis.start()  # the same port, empty
                restarted_at = time.monotonic()
                readers.wait_for_reads(9, since=restarted_at)

                # The sweeps hand the work over once the broker takes it (a process skips a broker
                # that failed a moment ago), and a second round right after hands over nothing new.
                wait_for(lambda: sweep()[0] == (1, 1), what="the relay to reach the restarted Redis")
                webhooks.webhook_retry_due()  # queued a second time, perhaps: the worker's claim keeps it to one
                wait_for(lambda: len(receiver.requests) >= 1, what="the webhook")
                wait_for(lambda: len(sent(maildir)) >= len(before) + 2, what="the decision e-mails")
                wait_for(lambda: not OutboxMessage.objects.filter(done_at=None).exists(), what="the message done")
                assert sweep() == ((0, 0), 0)
                wait_for(lambda: private_redis.page_keys(), what="pages cached again")
                readers.wait_for_reads(6, since=time.monotonic())
                time.sleep(1)  # anything queued twice has had time to run twice
                assert worker.process.poll() is None, "the worker lived through the outage"
        finally:
            worker.stop()

    # Readers: never a 500, every page showed its answer, before, during and after.
    failed = [r for r in readers.reads if r.status != 200 or not r.shows_answer]
    assert failed == []
    during = readers.reads_between(killed_at, restarted_at)
    assert len(during) >= 15
    assert drafted.get_absolute_url() in {r.url for r in during}  # the newly approved page, from the database
    assert len([r for r in readers.reads if r.started > restarted_at]) >= 6

    # Delivered once each, after Redis returned.
    assert [r["json"]["event"] for r in receiver.requests] == ["approved"]
    assert receiver.requests[0]["json"]["answer_id"] == drafted.pk
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert WebhookDelivery.objects.get().attempts.count() == 1
    assert sent(maildir) == sorted([*before, "drafter@example.org", "edith@example.org"])
    assert NotificationDelivery.objects.filter(message=decision).count() == 2
    assert AuditEvent.objects.filter(answer=drafted, action=AuditAction.APPROVE).count() == 1
