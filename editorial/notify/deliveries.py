"""Who hears about what, and sending each e-mail at most once.

`deliver(message_id)` reloads an outbox message, works out its recipients as
things stand now, drops those who opted out of the kind, and sends each
remaining recipient one e-mail, recording the send:

1. one `NotificationDelivery` row per recipient (unique per message);
2. claim it with a conditional UPDATE (unsent, and unclaimed or its lease
   expired); only the worker whose UPDATE changed the row sends;
3. send, then mark it sent. A worker killed between 2 and 3 leaves a claim
   that expires after NOTIFICATION_SEND_LEASE, and the redelivered task sends.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string

from answers import clock
from answers.models import Answer, Status
from editorial.access import roles
from editorial.models import NotificationDelivery, NotificationKind, NotificationPreference, OutboxMessage

User = get_user_model()

# How many answers an e-mail lists before saying "and N more".
LIST_LIMIT = 50


@dataclass
class Letter:
    recipient: object
    context: dict = field(default_factory=dict)


# -- recipients -----------------------------------------------------------------


def _reachable(users):
    return users.filter(is_active=True).exclude(email="")


def editors():
    return _reachable(User.objects.filter(Q(groups__name=roles.EDITORS) | Q(is_superuser=True))).distinct()


def board_members(*, specialty_ids) -> list:
    """Board members holding any of the specialties (their specialties prefetched)."""
    return list(
        _reachable(User.objects.filter(groups__name=roles.BOARD, reviewer_profile__specialties__in=specialty_ids))
        .prefetch_related("reviewer_profile__specialties")
        .distinct()
        .order_by("pk")
    )


def wanting(users, kind: str) -> list:
    """The users who have not switched `kind` off."""
    users = list(users)
    off = set(
        NotificationPreference.objects.filter(user__in=users, kind=kind, enabled=False).values_list(
            "user_id", flat=True
        )
    )
    return [user for user in users if user.pk not in off]


def _answers_context(answer_ids) -> list[Answer]:
    return list(
        Answer.objects.filter(pk__in=answer_ids).select_related("question__specialty").order_by("pk")[:LIST_LIMIT]
    )


def _actor_id(message: OutboxMessage):
    return message.event.actor_id if message.event is not None else None


def _submitted(message: OutboxMessage) -> list[Letter]:
    revision = message.event.revision
    users = board_members(specialty_ids=[message.answer.question.specialty_id])
    return [Letter(u) for u in users if u.pk not in (_actor_id(message), revision.created_by_id)]


def _assigned(message: OutboxMessage) -> list[Letter]:
    users = _reachable(User.objects.filter(username=message.event.data.get("reviewer")))
    return [Letter(u) for u in users if u.pk != _actor_id(message)]


def _decision(message: OutboxMessage) -> list[Letter]:
    users = {u.pk: u for u in editors()}
    if message.event.revision_id is not None:
        owner = message.event.revision.created_by  # the drafting system's account
        if owner.is_active and owner.email:
            users[owner.pk] = owner
    return [Letter(u) for pk, u in sorted(users.items()) if pk != _actor_id(message)]


def _review_due(message: OutboxMessage) -> list[Letter]:
    """One e-mail per board member, listing the answers of their specialties
    still due (one re-approved meanwhile drops out)."""
    due = defaultdict(list)
    rows = Answer.objects.filter(pk__in=message.data.get("answer_ids", []), review_due=True)
    for row in rows.values("pk", "question__specialty_id"):
        due[row["question__specialty_id"]].append(row["pk"])
    letters = []
    for user in board_members(specialty_ids=list(due)):
        mine = sorted(pk for specialty in user.reviewer_profile.specialties.all() for pk in due.get(specialty.pk, []))
        letters.append(Letter(user, {"answers": _answers_context(mine), "count": len(mine)}))
    return letters


def _reminder(message: OutboxMessage) -> list[Letter]:
    answer = message.answer
    if answer.status != message.data.get("status") or answer.status_changed_at != message.since:
        return []  # the answer moved on: the breach is over
    if message.stage == "editors":
        return [Letter(u) for u in editors()]
    if answer.reviewer_id is not None:
        return [Letter(answer.reviewer)] if answer.reviewer.is_active and answer.reviewer.email else []
    return [Letter(u) for u in board_members(specialty_ids=[answer.question.specialty_id])]


def _digest(message: OutboxMessage) -> list[Letter]:
    context = digest_context()
    return [Letter(u, context) for u in editors()]


# Who hears of each kind, as things stand when the message is delivered.
RECIPIENTS = {
    NotificationKind.SUBMITTED: _submitted,
    NotificationKind.ASSIGNED: _assigned,
    NotificationKind.DECISION: _decision,
    NotificationKind.REVIEW_DUE: _review_due,
    NotificationKind.REMINDER: _reminder,
    NotificationKind.DIGEST: _digest,
}


# -- the editors' digest ----------------------------------------------------------

WAITING = (
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.AWAITING_SECOND_REVIEW,
    Status.SECOND_REVIEW,
    Status.CHANGES_REQUESTED,
)


def digest_context() -> dict:
    """The backlog by state and the oldest waiting items: a fixed number of queries."""
    labels = dict(Status.choices)
    counts = {row["status"]: row["n"] for row in Answer.objects.values("status").annotate(n=Count("pk"))}
    oldest = list(
        Answer.objects.filter(status__in=WAITING)
        .select_related("question", "reviewer")
        .order_by("status_changed_at")[:10]
    )
    overdue = Answer.objects.public().filter(review_due=True).aggregate(n=Count("pk"), since=Min("next_review_due"))
    return {
        "backlog": [(labels[status], counts.get(status, 0)) for status in Status.values],
        "oldest": oldest,
        "review_due": overdue["n"],
        "review_due_since": overdue["since"],
    }


# -- sending ----------------------------------------------------------------------


def render(message: OutboxMessage, letter: Letter) -> EmailMessage:
    context = {
        "message": message,
        "event": message.event,
        "answer": message.answer,
        "recipient": letter.recipient,
        "site_url": settings.SITE_URL,
        **letter.context,
    }
    if message.answer is not None:
        context["admin_url"] = f"{settings.SITE_URL}/admin/answers/answer/{message.answer_id}/change/"
    subject = render_to_string(f"editorial/email/{message.kind}_subject.txt", context)
    body = render_to_string(f"editorial/email/{message.kind}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.recipient.email],
    )


def _send_once(message: OutboxMessage, letter: Letter) -> str:
    """'sent', 'already sent', or 'held' (another worker's claim is live)."""
    now = clock.now()
    row = NotificationDelivery.objects.filter(message=message, recipient=letter.recipient)
    claimed = (
        row.filter(sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=now + settings.NOTIFICATION_SEND_LEASE)
    )
    if not claimed:
        return "already sent" if row.filter(sent_at__isnull=False).exists() else "held"
    try:
        render(message, letter).send()
    except Exception:
        row.update(claimed_until=None)  # let the retry send it
        raise
    row.update(sent_at=clock.now())
    return "sent"


def deliver(message_id: int) -> bool:
    """Send a message to everyone it concerns, once. Returns False when some
    e-mail is claimed by another (perhaps dead) worker: try again later."""
    message = (
        OutboxMessage.objects.select_related("event__revision__created_by", "answer__question", "answer__reviewer")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.done_at is not None:
        return True
    letters = RECIPIENTS[message.kind](message)
    wanted = {user.pk for user in wanting([letter.recipient for letter in letters], message.kind)}
    letters = [letter for letter in letters if letter.recipient.pk in wanted]
    NotificationDelivery.objects.bulk_create(
        [NotificationDelivery(message=message, recipient=letter.recipient) for letter in letters],
        ignore_conflicts=True,
    )
    outcomes = [_send_once(message, letter) for letter in letters]
    if "held" in outcomes:
        return False
    OutboxMessage.objects.filter(pk=message.pk, done_at=None).update(done_at=clock.now())
    return True
