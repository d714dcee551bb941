from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial review"

    def ready(self) -> None:
        """Wire the capabilities together, explicitly and once.

        1. the audit trail's effects: every audit event is handed to the
           notification outbox and to the decision webhooks;
        2. the modules that define Celery tasks are imported, so a worker
           registers every task by its pinned name;
        3. after every migrate, groups get the permissions of models added
           after their data migration (`roles.grant_later_permissions`).
        """
        from django.db.models.signals import post_migrate

        from editorial.access import roles
        from editorial.audit import (
            checkpoints,  # noqa: F401  (tasks)
            effects,
        )
        from editorial.notify import outbox
        from editorial.notify import sweeps as notify_sweeps  # noqa: F401  (tasks)
        from editorial.reports import tasks as report_tasks  # noqa: F401  (tasks)
        from editorial.review import sweeps as review_sweeps  # noqa: F401  (tasks)
        from editorial.webhooks import delivery

        effects.subscribe(outbox.record_event)
        effects.subscribe(delivery.record_delivery)
        post_migrate.connect(roles.grant_later_permissions, sender=self)
