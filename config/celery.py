import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vetted")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every task module is imported by its app's ready() (editorial/apps.py), so a
# worker registers each task by its pinned name; nothing is discovered by convention.
