import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vetted")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules outside an app's own tasks.py.
app.autodiscover_tasks(["editorial.reports"])
app.autodiscover_tasks(["editorial"], related_name="checkpoints")
