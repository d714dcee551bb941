"""Vetted settings, all read from the environment in this one place.

With nothing set, Vetted runs for development: SQLite, Celery in eager mode,
e-mail to the console. `VETTED_ENV=production` refuses the development secret
key and DEBUG.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "vetted-development-only-secret-key-do-not-use-in-production"

VETTED_ENV = envstr("VETTED_ENV", "development")
if VETTED_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"VETTED_ENV={VETTED_ENV!r}: use 'development' or 'production'")
PRODUCTION = VETTED_ENV == "production"

SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs its own SECRET_KEY (50+ characters), not the development key.")
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to start with DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "config.wsgi.application"

# --- Database: SQLite unless DATABASE_URL is given -------------------------
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

LOGIN_URL = "/admin/login/"

# --- Celery over Redis; eager when REDIS_URL is not set ---------------------
REDIS_URL = envstr("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# --- E-mail: console in development, SMTP when EMAIL_HOST is set ------------
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

# --- Production hardening (the rest lands with the production issue) --------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Vetted's own settings ---------------------------------------------------
# How long an approval holds before the answer is due for re-review.
REVIEW_INTERVAL = timedelta(days=envint("REVIEW_INTERVAL_DAYS", 365))
# Only board members holding the answer's specialty may review it.
REVIEW_REQUIRES_SPECIALTY = envbool("REVIEW_REQUIRES_SPECIALTY", False)
# Show answers still pending review (with a warning) to readers.
SHOW_PENDING_ANSWERS = envbool("SHOW_PENDING_ANSWERS", False)
# Review SLAs: how long an answer may wait in a state before reminders.
REVIEW_SLA_SUBMITTED = timedelta(hours=envint("REVIEW_SLA_SUBMITTED_HOURS", 48))
REVIEW_SLA_UNDER_REVIEW = timedelta(hours=envint("REVIEW_SLA_UNDER_REVIEW_HOURS", 72))
# Days past next_review_due before the reader page says the review is overdue.
REVIEW_OVERDUE_GRACE = timedelta(days=envint("REVIEW_OVERDUE_GRACE_DAYS", 30))
APPROVAL_ATTESTATION = "I have reviewed this answer and its citations for accuracy"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

# --- Drafting API and webhooks (editorial/api, editorial/webhooks.py) --------
# "ninja" serves the Swagger UI assets from our own static files (no CDN).
INSTALLED_APPS += ["ninja"]  # noqa: F405
# Bodies larger than this are refused with 413 before they are parsed.
API_MAX_BODY_BYTES = envint("API_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, API_MAX_BODY_BYTES)
API_PAGE_SIZE = envint("API_PAGE_SIZE", 50)
# Where readers reach the site, for the public URLs sent in webhooks.
VETTED_BASE_URL = envstr("VETTED_BASE_URL", "http://127.0.0.1:8000")
WEBHOOK_TIMEOUT = timedelta(seconds=envint("WEBHOOK_TIMEOUT_SECONDS", 10))
# Retries: base * 2**(n-1), each wait at most WEBHOOK_RETRY_MAX_DELAY, for WEBHOOK_RETRY_WINDOW after the decision.
WEBHOOK_RETRY_BASE = timedelta(seconds=envint("WEBHOOK_RETRY_BASE_SECONDS", 30))
WEBHOOK_RETRY_MAX_DELAY = timedelta(hours=envint("WEBHOOK_RETRY_MAX_DELAY_HOURS", 6))
WEBHOOK_RETRY_WINDOW = timedelta(hours=envint("WEBHOOK_RETRY_WINDOW_HOURS", 24))
# Waits up to this long are Celery countdowns; longer ones wait for the sweep (below the visibility timeout).
WEBHOOK_COUNTDOWN_MAX = timedelta(minutes=10)
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "webhook-retry-due": {"task": "editorial.tasks_webhooks.webhook_retry_due", "schedule": 60.0},
}
