# One image for every Vetted process: web (gunicorn), worker and beat (Celery).
# Build: docker build -t vetted .    Run: see compose.yaml and the README.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image and served by whitenoise. The keys
# below exist only for this build step; the container needs its own SECRET_KEY
# and AUDIT_SIGNING_KEY.
RUN VETTED_ENV=production \
    SECRET_KEY=collectstatic-only-build-key-never-used-to-sign-anything-000000 \
    AUDIT_SIGNING_KEY=Y29sbGVjdHN0YXRpYy1idWlsZC1vbmx5LWtleS0wMDA= \
    ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app vetted

USER vetted
EXPOSE 8000

ENV VETTED_ENV=production \
    PORT=8000

# /readyz needs the database, Redis and migrations; the process itself is up
# when /healthz answers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
