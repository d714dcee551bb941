"""The password at signing (Approve, Re-approve), checked like a login.

The password goes through `django.contrib.auth.authenticate()` with the
request, so django-axes counts a wrong one as a failed login for the
account and the client address, exactly as on the login form (and locks the
login the same way). Each wrong password is also an audit event
(`vetted.signature.fail`); `SIGNING_FAILURE_LIMIT` of them within
`AXES_COOLOFF_TIME` lock signing until the oldest of them is that old.
Only signing is locked: the session stays and the desk still reads.
"""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from answers import clock
from answers.models import ReviewerProfile, Revision, Signature
from editorial.audit import effects
from editorial.errors import Invalid, NotAllowed
from editorial.models import AuditAction, AuditEvent

WRONG_PASSWORD = "That is not your password; nothing was approved."


class SigningLocked(NotAllowed):
    """Too many wrong passwords at signing: no password is checked until `until`."""

    def __init__(self, until: datetime):
        local = timezone.localtime(until)
        super().__init__(f"Signing is locked until {local:%H:%M} ({local:%Y-%m-%d %Z}) after too many wrong passwords.")
        self.until = until


def signing_locked_until(user) -> datetime | None:
    """When signing unlocks for `user`, or None when it is not locked."""
    limit = settings.SIGNING_FAILURE_LIMIT
    cool_off = settings.AXES_COOLOFF_TIME
    recent = list(
        AuditEvent.objects.filter(
            action=AuditAction.SIGNATURE_FAILED, actor_id=user.pk, created_at__gt=clock.now() - cool_off
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + cool_off


def _axes_refuses(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def signature_check(*, request, user, password: str, answer=None) -> None:
    """Check the signer's password; raise SigningLocked or Invalid (on `password`) if it does not sign."""
    if (until := signing_locked_until(user)) is not None:
        raise SigningLocked(until)
    if _axes_refuses(request, user):
        # Locked out of logging in (by failures here or at a login form): no password is checked.
        raise SigningLocked(clock.now() + settings.AXES_COOLOFF_TIME)
    signer = authenticate(request, username=user.get_username(), password=password)
    if signer is not None and signer.pk == user.pk:
        return
    # Axes flags the request when this failure locks the account out, and its middleware would
    # answer with the login's lockout page: the signer keeps the page, with the reason on the form.
    request.axes_locked_out = False
    with transaction.atomic():
        effects.record(
            action=AuditAction.SIGNATURE_FAILED,
            actor=user,
            answer=answer,
            from_state=answer.status if answer is not None else "",
            to_state=answer.status if answer is not None else "",
        )
    if (until := signing_locked_until(user)) is not None:
        raise SigningLocked(until)
    raise Invalid.on("password", WRONG_PASSWORD)


def signature_record(*, signer, revision: Revision, meaning: str) -> Signature:
    """The signature of `signer` on `revision`: printed name, credentials and specialties as they
    are now, kept as they were even after the profile changes. Call it inside the decision's
    transaction (the services do), after the password was checked."""
    profile = ReviewerProfile.objects.filter(user=signer).prefetch_related("specialties").first()
    return Signature.objects.create(
        revision=revision,
        signer=signer,
        printed_name=(profile.display_name if profile else signer.get_full_name()) or signer.get_username(),
        credentials=profile.credentials if profile else "",
        specialties=", ".join(s.name for s in profile.specialties.all()) if profile else "",
        meaning=meaning,
        content_hash=revision.content_hash,
    )
