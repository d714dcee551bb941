"""Log lines: plain text in development, one JSON object a line in production.

`RequestContextFilter` adds `request_id` and `user` to every record logged
while a request is handled, and the request id to a task's records in a
worker (see `config.request_id`). The JSON form is
python-json-logger's formatter; `LOG_FORMAT=json` turns it on outside
production. The module reads no Django settings, so gunicorn's config can
use it before Django starts.

No secret reaches a log line, at any level: `RedactSecrets` (a filter on the
handler, so it sees every record, a library's too) rewrites each record's
message, string fields, traceback and stack before any formatter runs:
drafting API tokens (`vt_...`), the credentials after `Bearer`/`Basic`,
whole `Authorization` and `Cookie` header values, session and CSRF cookies,
`password=`/`secret=`/`token=` fields and passwords in URLs. SQL statements
(logged by Django at DEBUG with their parameters, which hold webhook secrets
and session data) are not logged at all. Text lines escape control
characters in the message and fields (`TextFormatter`), so a newline sent in
a URL cannot forge a log line; a traceback's lines are indented under their
record. JSON lines are escaped by JSON itself.
"""

import copy
import logging
import re
import threading
import time

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


REDACTED = "[redacted]"
_SECRET_KEYS = r"[a-z_]*(?:password|passwd|secret|token|api[_-]?key|sessionid|csrftoken|csrfmiddlewaretoken)"
_SECRETS = [
    # A drafting API token, wherever it appears.
    (re.compile(r"\bvt_[A-Za-z0-9_-]+"), "vt_" + REDACTED),
    # Header values that are secrets whole: "Authorization: ...", "HTTP_COOKIE': '...", "cookie=...".
    (
        re.compile(
            r"(?i)\b((?:http_)?(?:proxy[-_])?authorization|(?:http_)?cookie|set-cookie|x-api-key)"
            r"(['\"]?\s*[:=]\s*['\"]?)[^'\"\r\n]*"
        ),
        r"\1\2" + REDACTED,
    ),
    # The credentials after an HTTP authentication scheme.
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=:-]{8,}"), r"\1\2" + REDACTED),
    # key=value (query strings, cookies, forms) and 'key': 'value' (dicts) holding a secret.
    (re.compile(r"(?i)\b(" + _SECRET_KEYS + r")=[^&;,\s'\"]+"), r"\1=" + REDACTED),
    (re.compile(r"(?i)(['\"]" + _SECRET_KEYS + r"['\"]\s*:\s*\[?\s*['\"])[^'\"]*"), r"\1" + REDACTED),
    # The password in a URL (DATABASE_URL, REDIS_URL, a proxy).
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@"), r"\1" + REDACTED + "@"),
]
# Record fields that are the logging machinery's own, not data.
_OWN_FIELDS = {"name", "levelname", "pathname", "filename", "module", "funcName", "threadName", "processName"}


def redact(text: str) -> str:
    """`text` with every secret the patterns know replaced by [redacted]."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value):
    """A record field: strings redacted, inside dicts, lists and tuples too; anything else as it is."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(item) for item in value)
    return value


class RedactSecrets(logging.Filter):
    """Rewrites a record before it is formatted so that no secret is written (see the module's doc)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what there is, readable
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None  # formatters (python-json-logger too) use exc_text instead
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for field, value in list(vars(record).items()):
            if field not in _OWN_FIELDS and field not in ("msg", "args", "exc_info", "exc_text", "stack_info"):
                setattr(record, field, _redact_value(value))
        return True


class OncePerInterval(logging.Filter):
    """Pass the first record of each message per `seconds`; count the rest and say so on the next one.

    For the cache's ignored errors (`vetted.cache`): with Redis down every request
    logs the same failure with its traceback; an outage then writes one record a
    minute ("... (1234 more like it in the last 60 s)"), not thousands.
    """

    def __init__(self, seconds: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.seconds, self.clock = seconds, clock
        self._last: dict[str, tuple[float, int]] = {}  # message -> (when passed, dropped since)
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key, now = str(record.msg), self.clock()
        with self._lock:
            passed, dropped = self._last.get(key, (None, 0))
            if passed is not None and now - passed < self.seconds:
                self._last[key] = (passed, dropped + 1)
                return False
            self._last[key] = (now, 0)
        if dropped:
            record.msg = f"{record.msg} ({dropped} more like it in the last {self.seconds:g} s)"
        return True


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """Control characters (newlines too) as visible escapes: one field stays on one line."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class TextFormatter(logging.Formatter):
    """The text format, with the message and fields escaped; a traceback's lines indented under the record."""

    def format(self, record: logging.LogRecord) -> str:
        shown = copy.copy(record)  # other handlers see the record as it was
        shown.msg, shown.args = escape(record.getMessage()), None
        for field in ("request_id", "user"):
            value = getattr(record, field, None)
            if isinstance(value, str):
                setattr(shown, field, escape(value))
        first, *rest = super().format(shown).split("\n")
        return "\n".join([first, *(f"    {escape(line)}" for line in rest)])


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
        "filters": {
            "request_context": {"()": "config.logs.RequestContextFilter"},
            "redact_secrets": {"()": "config.logs.RedactSecrets"},
            "once_a_minute": {"()": "config.logs.OncePerInterval", "seconds": 60},
        },
        "formatters": {
            "json": json_formatter(),
            "text": {"()": "config.logs.TextFormatter", "format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_context", "redact_secrets"],
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
            # SQL with its parameters (DEBUG only) holds secrets: webhook secrets, session data.
            "django.db.backends": {"level": "INFO"},
            # The cache's ignored errors (Redis down): one record a minute, not one per request.
            "vetted.cache": {"filters": ["once_a_minute"]},
        },
    }
