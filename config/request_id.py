"""Request identity for logs: a request id and the client's address.

`RequestIdMiddleware` runs first. It takes the id from an incoming
`X-Request-ID` header when the proxy set a well-formed one (else makes one),
echoes it on the response, keeps the request in a context variable for the
log filter (`config.logs`), and writes one access line per request.

A Celery task queued during a request carries the id in a message header;
the worker's log lines for that task carry it too.
"""

import contextvars
import logging
import re
import time
import uuid

from celery import signals
from django.utils.functional import SimpleLazyObject, empty

access_log = logging.getLogger("vetted.access")

current_request: contextvars.ContextVar = contextvars.ContextVar("vetted_request", default=None)
# In a worker: the id of the request that queued the running task.
current_task_request_id: contextvars.ContextVar = contextvars.ContextVar("vetted_task_request_id", default=None)

TASK_HEADER = "vetted_request_id"

# Ids from outside go into every log line: accept only a short, plain token.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_from(header: str | None) -> str:
    if header and _WELL_FORMED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def user_label(request, *, resolve: bool = False) -> str | None:
    """The signed-in user's name; without `resolve`, only if already loaded."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty and not resolve:
        return None
    if not user.is_authenticated:
        return None
    return user.get_username()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_from(request.headers.get("X-Request-ID"))
        token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user_label(request, resolve=True),
                },
            )
            return response
        finally:
            current_request.reset(token)


@signals.before_task_publish.connect
def _stamp_task_with_request_id(headers=None, **kwargs):
    request = current_request.get()
    if request is not None and headers is not None:
        headers[TASK_HEADER] = request.id


@signals.task_prerun.connect
def _enter_task(task=None, **kwargs):
    current_task_request_id.set(getattr(task.request, TASK_HEADER, None) if task is not None else None)


@signals.task_postrun.connect
def _leave_task(**kwargs):
    current_task_request_id.set(None)
