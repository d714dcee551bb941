import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vetted")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every task module is imported by its app's ready() (editorial/apps.py), so a
# worker registers each task by its pinned name; nothing is discovered by convention.


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_worker_logs(logger=None, **kwargs):
    """With text logs the worker writes through Celery's own handlers (CELERY_WORKER_HIJACK_ROOT_LOGGER):
    they redact secrets as the web process's handler does (config.logs.RedactSecrets)."""
    from config.logs import RedactSecrets

    for handler in getattr(logger, "handlers", []):
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
