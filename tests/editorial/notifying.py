"""Helpers shared by the notification, outbox and task tests."""

from config.celery import app


def run_eagerly():
    """Unit tests run tasks in-process even when REDIS_URL is set."""
    previous = app.conf.task_always_eager  # read first: app.conf loads the Django settings lazily
    app.conf.task_always_eager = True
    return previous


def restore(previous) -> None:
    app.conf.task_always_eager = previous


def recipients(mailbox) -> list[str]:
    return sorted(address for message in mailbox for address in message.to)


def subjects(mailbox) -> list[str]:
    return [message.subject for message in mailbox]
