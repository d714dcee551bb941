"""Log lines: plain text in development, one JSON object a line in production.

`RequestContextFilter` adds `request_id` and `user` to every record logged
while a request is handled, and the request id to a task's records in a
worker (see `config.request_id`). The JSON form is
python-json-logger's formatter; `LOG_FORMAT=json` turns it on outside
production. The module reads no Django settings, so gunicorn's config can
use it before Django starts.
"""

import logging

from django.http import HttpRequest

from config.request_id import current_request, current_task_request_id, user_label

JSON_FORMAT = "%(levelname)s %(name)s %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
# Objects Django attaches to some records that are not worth a log field.
JSON_DROPPED = ["request", "server_time"]


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # django.request's records carry the request; they are written after
        # the middleware has returned.
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "id", None) or current_task_request_id.get()
        if not hasattr(record, "user"):
            record.user = user_label(request) if request is not None else None
        return True


def json_formatter() -> dict:
    from pythonjsonlogger.core import RESERVED_ATTRS

    return {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": JSON_FORMAT,
        "rename_fields": JSON_RENAMES,
        "reserved_attrs": [*RESERVED_ATTRS, *JSON_DROPPED],
        "json_ensure_ascii": False,
        "timestamp": "time",  # ISO 8601, UTC
    }


def logging_config(*, json: bool, level: str = "INFO") -> dict:
    """The LOGGING dict: one console handler on stderr with the request context."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "config.logs.RequestContextFilter"}},
        "formatters": {
            "json": json_formatter(),
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_context"],
                "formatter": "json" if json else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only) would print each
            # django.* line a second time, unformatted: let them reach root.
            "django": {"handlers": [], "level": level, "propagate": True},
            # runserver prints its own access lines; ours carry the request id.
            "django.server": {"level": "WARNING"},
        },
    }
