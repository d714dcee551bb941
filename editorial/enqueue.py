"""Handing Celery tasks to the broker: the one way editorial code queues a task.

- `enqueue_on_commit(task, *args, **kwargs)` queues `task(*args, **kwargs)`
  once the current transaction commits (at once outside a transaction), so the
  row the task works on is stored before a worker looks for it. What requests
  and services use.
- `enqueue(task, *args, **kwargs)` queues it now and returns whether the broker
  took it: for code outside a transaction (the sweeps, the outbox relay, a task
  queueing its own retry). `task` may also be a signature carrying options:
  `enqueue(webhook_deliver.s(delivery_id).set(countdown=30))`.

Neither raises when the broker is down. A broker that refuses, times out or
cannot be reached is logged (a warning naming the task and its arguments, which
are row ids) and the caller carries on: the decision, export or retry it stored
stands, and its row waits in the database for the sweep that queues whatever
the broker never got:

| task | what waits | picked up by (beat) |
|---|---|---|
| `webhook_deliver` | a pending `WebhookDelivery` whose `next_attempt_at` is due | `webhook_retry_due`, every minute |
| `deliver_outbox` | an `OutboxMessage` never handed over (`enqueued_at` unset) | `relay_outbox`, every minute |
| `report_export_build` | a `ReportExport` still queued | `report_exports_requeue`, every minute |

So a task queued here needs such a sweep, and must be safe to run twice (the
first hand-over may arrive after all). How long a request waits for a broker
that is down is bounded: one publish gives up after
`CELERY_TASK_PUBLISH_RETRY_POLICY` (two tries) with the socket timeouts of
`CELERY_BROKER_TRANSPORT_OPTIONS` (well under a second when Redis refuses,
about two when it accepts and never answers), and after a failure this process
skips that broker for `SKIP_AFTER_FAILURE` seconds, so the other tasks of the
same request go to their sweeps at once.

With `CELERY_TASK_ALWAYS_EAGER` (no `REDIS_URL`: development, most tests) there
is no broker: the task runs in the caller and its errors propagate as before.

Base layer: imports only Django, Celery, kombu and redis; every capability and
entry point may import it.
"""

import logging
import re
import reprlib
from functools import partial
from time import monotonic

from celery import Task
from celery.canvas import Signature
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What publishing raises when the broker is down: kombu's wrapper (after the
# publish retry policy gave up), and the socket and redis errors underneath it.
# OSError covers ConnectionError, TimeoutError and a broker host that does not resolve.
BROKER_ERRORS = (OperationalError, RedisError, OSError)

# After a broker error this process does not try that broker again for a few
# seconds: a request queueing several tasks (an approval: its notification and
# its webhook) waits for one failed publish, not one per task.
SKIP_AFTER_FAILURE = 5.0
_failed_at: dict[str, float] = {}  # broker URL -> monotonic time of its last failure

_arguments = reprlib.Repr()
_arguments.maxlist = _arguments.maxtuple = 10  # a chunk of 100 outbox ids shows its first ten
_arguments.maxother = 200
_CREDENTIALS = re.compile(r"://[^/@\s]*@")


def _signature(task: Task | Signature, args: tuple, kwargs: dict) -> Signature:
    if isinstance(task, Signature):
        if args or kwargs:
            raise TypeError("give the arguments to the signature, not to enqueue()")
        return task
    return task.s(*args, **kwargs)


def _describe(signature: Signature) -> str:
    described = signature.task + _arguments.repr(tuple(signature.args))
    if signature.kwargs:
        described += " " + _arguments.repr(dict(signature.kwargs))
    return described


def enqueue(task: Task | Signature, *args, **kwargs) -> bool:
    """Queue `task(*args, **kwargs)` now. True when the broker took it; False
    (logged) when it is down, and the task's row waits for its sweep."""
    signature = _signature(task, args, kwargs)
    conf = signature.app.conf
    if conf.task_always_eager:
        signature.apply_async()  # runs here: no broker, and the task's own errors are the caller's
        return True
    broker = conf.broker_url
    failed_at = _failed_at.get(broker)
    if failed_at is not None and monotonic() - failed_at < SKIP_AFTER_FAILURE:
        log.warning(
            "Broker unavailable %.1fs ago, %s not queued; its sweep will queue it",
            monotonic() - failed_at,
            _describe(signature),
        )
        return False
    try:
        signature.apply_async()
    except BROKER_ERRORS as exc:
        _failed_at[broker] = monotonic()
        reason = _CREDENTIALS.sub("://***@", f"{type(exc).__name__}: {exc}")
        log.warning("Broker unavailable, %s not queued; its sweep will queue it (%s)", _describe(signature), reason)
        return False
    _failed_at.pop(broker, None)
    return True


def enqueue_on_commit(task: Task | Signature, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits; never raises for the broker."""
    transaction.on_commit(partial(enqueue, _signature(task, args, kwargs)))
