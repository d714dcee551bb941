"""Who is asking: the client's address behind the trusted proxies.

Used by the reader site's rate limit and, through `config.request_id`, by the
login lockouts and the access log.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, read through `TRUSTED_PROXY_COUNT` proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the
    client is the Nth entry from the right; anything left of it is whatever the
    client chose to send. With no trusted proxy, REMOTE_ADDR is the client.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
