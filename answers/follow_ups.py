"""Readers' follow-up questions: queued for the drafting systems, rate-limited per client.

The client is known only by a keyed hash of its address: the queue can limit
a flood without storing anyone's IP address.

The counters live in the "rate_limits" cache, which raises when its store
(Redis) is down, unlike the page cache: a question that cannot be counted is
refused (the limit fails closed) and the reader is told to try again later.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import caches

from answers.clients import client_ip
from answers.models import Answer, FollowUpQuestion

log = logging.getLogger(__name__)

COUNTERS = "rate_limits"


class RateLimited(Exception):
    """The client has asked too many questions in the current window."""


class RateLimitUnavailable(Exception):
    """The counters cannot be reached, so the question cannot be counted: it is refused."""


def client_key(request) -> str:
    # Behind TRUSTED_PROXY_COUNT proxies the client is read from X-Forwarded-For,
    # the same way the login lockouts read it.
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _count_attempt(key: str) -> int:
    """Fixed-window counter in the shared cache; add() then incr() is atomic on Redis.

    Raises RateLimitUnavailable when the counter store fails (fail closed).
    """
    window = int(settings.FOLLOW_UP_RATE_WINDOW.total_seconds())
    counter = f"answers:follow-up:{key}"
    counters = caches[COUNTERS]
    try:
        counters.add(counter, 0, timeout=window)
        try:
            return counters.incr(counter)
        except ValueError:  # expired between add() and incr()
            counters.set(counter, 1, timeout=window)
            return 1
    except Exception as exc:  # any failure of the store: the question cannot be counted
        log.warning("Follow-up rate limit unavailable, question refused: %s", type(exc).__name__)
        raise RateLimitUnavailable from exc


def follow_up_ask(*, text: str, audience: str, answer: Answer | None, client: str) -> FollowUpQuestion:
    """Store a reader's (already validated) question for the drafting queue.

    Raises RateLimited, storing nothing, past FOLLOW_UP_RATE_LIMIT questions
    per client per FOLLOW_UP_RATE_WINDOW, and RateLimitUnavailable, storing
    nothing, when the counters cannot be reached.
    """
    if _count_attempt(client) > settings.FOLLOW_UP_RATE_LIMIT:
        raise RateLimited
    question = FollowUpQuestion(text=text, audience=audience, answer=answer, client_key=client)
    question.full_clean()
    question.save()
    return question
