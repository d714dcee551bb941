"""Readers' follow-up questions: queued for the drafting systems, rate-limited per client.

The client is known only by a keyed hash of its address: the queue can limit
a flood without storing anyone's IP address.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from answers.clients import client_ip
from answers.models import Answer, FollowUpQuestion


class RateLimited(Exception):
    """The client has asked too many questions in the current window."""


def client_key(request) -> str:
    # Behind TRUSTED_PROXY_COUNT proxies the client is read from X-Forwarded-For,
    # the same way the login lockouts read it.
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _count_attempt(key: str) -> int:
    """Fixed-window counter in the shared cache; add() then incr() is atomic on Redis."""
    window = int(settings.FOLLOW_UP_RATE_WINDOW.total_seconds())
    counter = f"answers:follow-up:{key}"
    cache.add(counter, 0, timeout=window)
    try:
        return cache.incr(counter)
    except ValueError:  # expired between add() and incr()
        cache.set(counter, 1, timeout=window)
        return 1


def follow_up_ask(*, text: str, audience: str, answer: Answer | None, client: str) -> FollowUpQuestion:
    """Store a reader's (already validated) question for the drafting queue.

    Raises RateLimited, storing nothing, past FOLLOW_UP_RATE_LIMIT questions
    per client per FOLLOW_UP_RATE_WINDOW.
    """
    if _count_attempt(client) > settings.FOLLOW_UP_RATE_LIMIT:
        raise RateLimited
    question = FollowUpQuestion(text=text, audience=audience, answer=answer, client_key=client)
    question.full_clean()
    question.save()
    return question
