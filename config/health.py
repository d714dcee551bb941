"""Probes for load balancers and orchestrators.

`/healthz` says the process answers. `/readyz` says it can do its work: the
database answers, Redis answers (when Celery uses it), and every migration is
applied. Both are cheap: one `SELECT 1`, one PING with a short timeout, and a
migration plan computed once per process and remembered once it is empty.
A failing check answers 503 and names itself.

`HealthProbeMiddleware`, first in MIDDLEWARE, answers both paths before any
other middleware: a probe reaches the container by its address, which is not
in ALLOWED_HOSTS, over plain HTTP, and should not fill the access log.
"""

import logging
from functools import lru_cache

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

REDIS_TIMEOUT_SECONDS = 0.5

log = logging.getLogger(__name__)

# Set once the migration plan was found empty: migrations do not un-apply
# themselves under a running process, so later probes skip the plan.
_migrations_applied = False


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    checks = {"database": _check_database(), "redis": _check_redis(), "migrations": _check_migrations()}
    failed = [name for name, result in checks.items() if result not in ("ok", "not configured")]
    body = {"status": "fail" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    response = JsonResponse(body, status=503 if failed else 200)
    # Each failed check logged its own warning with the cause; spare the log
    # django.request's "Service Unavailable" error at every probe of an outage.
    response._has_been_logged = True
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


def _check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return _failure("database", exc)
    return "ok"


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS)


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        _redis_client(settings.REDIS_URL).ping()
    except Exception as exc:  # refused, timed out, auth failed...
        return _failure("redis", exc)
    return "ok"


def _check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return _failure("migrations", exc)
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan[:5])
        log.warning("readiness check migrations failed: %d unapplied", len(plan), extra={"check": "migrations"})
        return f"error: {len(plan)} unapplied ({names})"
    _migrations_applied = True
    return "ok"


def _failure(check: str, exc: Exception) -> str:
    """Name the error class to the prober; the details (hosts, ports) go to the log."""
    log.warning("readiness check %s failed: %s", check, exc, extra={"check": check})
    return f"error: {type(exc).__name__}"
