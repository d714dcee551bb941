"""Vetted settings, all read from the environment in this one place.

With nothing set, Vetted runs for development: SQLite, Celery in eager mode,
e-mail to the console. DEBUG is off unless `DEBUG=1` is set (`make run` sets
it). `VETTED_ENV=production` refuses the development secret key and DEBUG.
Each setting is declared once, grouped by concern:

1. environment and secrets; 2. apps, middleware, templates; 3. database;
4. static files, auth, i18n; 5. Celery, the beat schedule and the outbox;
6. e-mail; 7. security headers and HTTPS; 8. login protection; 9. logs;
10. the review; 11. the reader site and its cache; 12. the drafting API and
webhooks.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr
from config.logs import logging_config
from editorial.audit.keys import DEV_AUDIT_SIGNING_KEY, is_development_key, load_private_key

BASE_DIR = Path(__file__).resolve().parent.parent

# --- 1. Environment and secrets ------------------------------------------------
DEV_SECRET_KEY = "vetted-development-only-secret-key-do-not-use-in-production"

VETTED_ENV = envstr("VETTED_ENV", "development")
if VETTED_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"VETTED_ENV={VETTED_ENV!r}: use 'development' or 'production'")
PRODUCTION = VETTED_ENV == "production"

SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
# Signs the audit trail's checkpoints (editorial/audit/keys.py); a malformed key stops start-up.
AUDIT_SIGNING_KEY = envstr("AUDIT_SIGNING_KEY", DEV_AUDIT_SIGNING_KEY)
_audit_signing_key = load_private_key(AUDIT_SIGNING_KEY)
# Opt-in everywhere: DEBUG's error pages show settings and request data to anyone.
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs its own SECRET_KEY (50+ characters), not the development key.")
    if is_development_key(_audit_signing_key):
        raise ImproperlyConfigured(
            "Production needs its own AUDIT_SIGNING_KEY (Ed25519, kept outside the database), not the development key."
        )
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to start with DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")

# Old keys still accepted for signatures while rotating SECRET_KEY.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", [])

# --- 2. Apps, middleware, templates ---------------------------------------------
INSTALLED_APPS = [
    "config.apps.VettedAdminConfig",  # Django's admin with Vetted's site (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "pgtrigger",
    "django_fsm",
    "answers",
    "editorial",
    "axes",  # login lockouts (section 8)
    "ninja",  # serves the API docs' Swagger UI assets from our own static files (no CDN)
]

MIDDLEWARE = [
    # The health probes first (no host check, no HTTPS redirect, no access
    # line), then request ids, so every later line of a request carries one.
    "config.health.HealthProbeMiddleware",
    "config.request_id.RequestIdMiddleware",
    "config.request_guards.NulByteGuardMiddleware",  # a NUL in the path or query: 400, never a database error
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: the review page's saves without a reload
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # section 7
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every template lives in an app's templates/ folder.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- 3. Database: SQLite unless DATABASE_URL is given ------------------------------
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail a request (and /readyz) quickly when the database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", 5))
    # PostgreSQL's JIT compiles plans whose row estimates look large; for these short
    # web queries compiling costs more than it saves (reader search: 0.65 s with JIT,
    # 0.18 s without, on 100,000 answers). PG_JIT=1 turns it back on.
    if not envbool("PG_JIT", False):
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- 4. Static and media files, auth, i18n ------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))

# Production serves what collectstatic gathered; development (and the tests)
# serve from the apps' folders and need no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# The login of every account (staff use the admin's too); after a login with no
# usable `next`, staff land on the admin, others on their e-mail preferences.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account_home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- 5. Celery over Redis (eager when REDIS_URL is not set), beat, the outbox --------
REDIS_URL = envstr("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The broker may be down when a transition commits: what the task would do waits
# in the database for its sweep (`editorial.enqueue`), so publishing gives up
# quickly instead of holding the web request (one retry, on a fresh connection).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = envint("CELERY_BROKER_CONNECTION_TIMEOUT", 4)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
    # The Redis transport does not give CELERY_BROKER_CONNECTION_TIMEOUT to its
    # sockets: these bound a publish to a Redis that cannot be reached, or that
    # accepts and never answers (frozen, half-open), which would otherwise hold
    # the web request forever. The worker's BRPOP (1 s) waits in its event loop,
    # which they do not touch.
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": envint("CELERY_BROKER_SOCKET_TIMEOUT", 1),
    # How often an idle worker looks for unacknowledged messages past the
    # visibility timeout (kombu's defaults: every 10 s, scanning every 10th time).
    "unacked_restore_interval": envint("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
# Task names are pinned (`name=` on each task), so this schedule and messages
# already queued survive moving a task between modules.
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "editorial.tasks.relay_outbox", "schedule": timedelta(minutes=1)},
    "sweep-reminders": {"task": "editorial.tasks.sweep_reminders", "schedule": timedelta(minutes=15)},
    "sweep-rereview": {
        "task": "editorial.tasks.sweep_rereview",
        "schedule": crontab(hour=envint("REREVIEW_SWEEP_HOUR", 5), minute=0),
    },
    "editors-digest": {
        "task": "editorial.tasks.send_editors_digest",
        "schedule": crontab(day_of_week="mon", hour=envint("DIGEST_HOUR", 7), minute=0),
    },
    # A signed checkpoint of the audit chain's head (editorial/audit/checkpoints.py).
    "audit-checkpoint": {
        "task": "editorial.audit_checkpoint",
        "schedule": timedelta(minutes=envint("AUDIT_CHECKPOINT_MINUTES", 60)),
    },
    "expire-report-exports": {
        "task": "editorial.reports.tasks.report_exports_expire",
        "schedule": crontab(hour=envint("REREVIEW_SWEEP_HOUR", 5), minute=30),
    },
    "webhook-retry-due": {"task": "editorial.tasks_webhooks.webhook_retry_due", "schedule": timedelta(minutes=1)},
    "requeue-report-exports": {
        "task": "editorial.reports.tasks.report_exports_requeue",
        "schedule": timedelta(minutes=1),
    },
}
# An outbox row never handed to the broker is relayed after this long...
OUTBOX_RELAY_AFTER = timedelta(seconds=envint("OUTBOX_RELAY_AFTER_SECONDS", 30))
# ...and one handed over but still not delivered is handed over again.
OUTBOX_REQUEUE_AFTER = timedelta(seconds=envint("OUTBOX_REQUEUE_AFTER_SECONDS", 2 * 3600))
# A worker claims one e-mail for this long; a dead worker's claim expires.
NOTIFICATION_SEND_LEASE = timedelta(seconds=envint("NOTIFICATION_SEND_LEASE_SECONDS", 300))
# Base of the links in e-mails and webhooks.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- 6. E-mail: console in development, SMTP when EMAIL_HOST is set ------------------
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Vetted <vetted@localhost>")

# --- 7. Security: HTTPS and cookies in production, headers everywhere -----------------
# `manage.py check --deploy` passes with VETTED_ENV=production (tests/config).
if PRODUCTION:
    # The TLS-terminating proxy in front says the request came over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Scripts read the CSRF token from the page's form, never from the cookie.
    CSRF_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# Proxies in front of the web process that append to X-Forwarded-For; the
# client's address (login lockouts, rate limits) is read through exactly this many.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Content-Security-Policy (django-csp): everything from our own origin, no
# inline script anywhere, no third-party host. JSON-LD blocks are data, not
# script, so the policy does not need to allow them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- 8. Login protection (django-axes) --------------------------------------------------
# Failed logins are counted per username and per client address; at
# AXES_FAILURE_LIMIT either is locked out for AXES_COOLOFF_TIME (the admin
# lists attempts and lockouts; `manage.py axes_reset` lifts them).
AUTHENTICATION_BACKENDS = [
    "config.auth.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "answers.clients.client_ip"
AXES_VERBOSE = False
# The approval password (the signature) is checked through axes too, so a wrong
# one counts as a failed login; SIGNING_FAILURE_LIMIT wrong ones within
# AXES_COOLOFF_TIME lock signing (not reading) until the oldest of them is
# that old (editorial.review.signing).
SIGNING_FAILURE_LIMIT = envint("SIGNING_FAILURE_LIMIT", 5)

# --- 9. Logs: one JSON object a line in production or with LOG_FORMAT=json -----------
LOG_FORMAT = envstr("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use 'json' or 'text'")
LOGGING = logging_config(json=LOG_FORMAT == "json", level=envstr("LOG_LEVEL", "INFO"))
# Celery workers log through the same handler instead of their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# --- 10. The review ----------------------------------------------------------------------
# How long an approval holds before the answer is due for re-review.
REVIEW_INTERVAL = timedelta(days=envint("REVIEW_INTERVAL_DAYS", 365))
# ... and for high-risk content (editorial/review/risk.py: doses, special populations, high-alert drugs).
HIGH_RISK_REVIEW_INTERVAL = timedelta(days=envint("HIGH_RISK_REVIEW_INTERVAL_DAYS", 180))
# Only board members holding the answer's specialty may review it.
REVIEW_REQUIRES_SPECIALTY = envbool("REVIEW_REQUIRES_SPECIALTY", True)
# Show answers still pending review (with a warning) to readers.
SHOW_PENDING_ANSWERS = envbool("SHOW_PENDING_ANSWERS", False)
# Days past next_review_due before the reader page says the review is overdue.
REVIEW_OVERDUE_GRACE = timedelta(days=envint("REVIEW_OVERDUE_GRACE_DAYS", 30))
APPROVAL_ATTESTATION = "I have reviewed this answer and its citations for accuracy"

# Review SLAs: how long an answer may wait in a state before reminders.
REVIEW_SLA_SUBMITTED = timedelta(hours=envint("REVIEW_SLA_SUBMITTED_HOURS", 48))
REVIEW_SLA_UNDER_REVIEW = timedelta(hours=envint("REVIEW_SLA_UNDER_REVIEW_HOURS", 72))
# Answers flagged for re-review per transaction.
REREVIEW_BATCH_SIZE = envint("REREVIEW_BATCH_SIZE", 5000)
# Finished full exports (every answer with its history) are deleted after this long.
REPORT_EXPORT_RETENTION = timedelta(days=envint("REPORT_EXPORT_RETENTION_DAYS", 7))
# An export still queued (not started) this long after it was requested is queued again:
# its first hand-over may never have reached the broker.
REPORT_EXPORT_REQUEUE_AFTER = timedelta(seconds=envint("REPORT_EXPORT_REQUEUE_AFTER_SECONDS", 60))

# --- 11. The reader site (answers/) and the shared cache ---------------------------------
# The shared caches: Redis when REDIS_URL is set, so every web process sees the
# same pages and counters (django-redis). "default" (rendered answer pages)
# degrades: with Redis down a read is a miss and a write is skipped, logged by
# django-redis, and pages render from the database. "rate_limits" (follow-up
# counters) raises instead, so the limit fails closed (answers/follow_ups.py).
# Short socket timeouts: an unreachable Redis costs a page a second at most.
_REDIS = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
CACHES = (
    {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
            "OPTIONS": {**_REDIS, "IGNORE_EXCEPTIONS": True},
        },
        "rate_limits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
            "OPTIONS": {**_REDIS, "IGNORE_EXCEPTIONS": False},
        },
    }
    if REDIS_URL
    else {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vetted"},
        "rate_limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vetted-rate-limits"},
    }
)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "vetted.cache"
# Rendered answer pages are keyed on answer, shown revision, audience and the
# review dates, so a new approval never serves stale HTML; the timeout only
# bounds how long a renamed board member's old name may linger.
ANSWER_PAGE_CACHE_SECONDS = envint("ANSWER_PAGE_CACHE_SECONDS", 3600)
# Readers' follow-up questions: at most this many per client per window.
FOLLOW_UP_RATE_LIMIT = envint("FOLLOW_UP_RATE_LIMIT", 5)
FOLLOW_UP_RATE_WINDOW = timedelta(seconds=envint("FOLLOW_UP_RATE_WINDOW_SECONDS", 3600))
# Where readers report an error in an answer (shown on the editorial policy).
EDITORIAL_CONTACT_EMAIL = envstr("EDITORIAL_CONTACT_EMAIL", "editors@vetted.invalid")

# --- 12. Drafting API and webhooks (editorial/api, editorial/webhooks) -------------------
# Bodies larger than this are refused with 413 before they are parsed.
API_MAX_BODY_BYTES = envint("API_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, API_MAX_BODY_BYTES)
API_PAGE_SIZE = envint("API_PAGE_SIZE", 50)
WEBHOOK_TIMEOUT = timedelta(seconds=envint("WEBHOOK_TIMEOUT_SECONDS", 10))
# Callback URLs to loopback, private, link-local or reserved addresses are refused unless this is on.
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", False)
# Retries: base * 2**(n-1), each wait at most WEBHOOK_RETRY_MAX_DELAY, for WEBHOOK_RETRY_WINDOW after the decision.
WEBHOOK_RETRY_BASE = timedelta(seconds=envint("WEBHOOK_RETRY_BASE_SECONDS", 30))
WEBHOOK_RETRY_MAX_DELAY = timedelta(hours=envint("WEBHOOK_RETRY_MAX_DELAY_HOURS", 6))
WEBHOOK_RETRY_WINDOW = timedelta(hours=envint("WEBHOOK_RETRY_WINDOW_HOURS", 24))
# Waits up to this long are Celery countdowns; longer ones wait for the sweep (below the visibility timeout).
WEBHOOK_COUNTDOWN_MAX = timedelta(minutes=10)
