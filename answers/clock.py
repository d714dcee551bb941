"""The one clock Vetted reads.

Services, tasks and the demo loader ask `clock.now()` for the time, so tests,
the demo history and the SLA sweeps can move time without patching Django.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import date, datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("vetted_clock", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextlib.contextmanager
def travel(moment: datetime) -> Iterator[None]:
    """Make `now()` return `moment` inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel() needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
