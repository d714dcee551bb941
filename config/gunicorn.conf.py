"""gunicorn settings for the web process: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Everything can be tuned from the environment, so the same file serves one
small host and many containers. Scale out by running more of these behind
the load balancer; each one talks to the same PostgreSQL and Redis.
"""

import multiprocessing
import os
import sys
from pathlib import Path

# gunicorn loads this file by path: make `config.*` importable from it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.logs import logging_config  # noqa: E402

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"

# Sync workers: Vetted's views are short database work. Default 2 per core + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind a proxy that keeps connections open.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak cannot grow without bound;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# The proxy addresses allowed to set X-Forwarded-Proto for gunicorn itself.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files on tmpfs: a container's overlay disk can stall workers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn 27's control socket lives at one path per user: several gunicorns
# on one host would fight over it. Nothing here uses it.
control_socket_disable = True

# Django's RequestIdMiddleware writes the access lines (with request id and
# user); gunicorn's own lines go to stderr, as JSON when the app's are.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
_production = os.environ.get("VETTED_ENV") == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "text") == "json":
    logconfig_dict = logging_config(json=True, level=loglevel.upper())
    logconfig_dict["loggers"].update(
        {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
            # A logging config turns gunicorn's access log on; ours replaces it.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        }
    )
