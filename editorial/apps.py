from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial review"

    def ready(self) -> None:
        from editorial import (  # noqa: F401  (the API's admin, webhook handler and tasks)
            admin_api,
            outbox,  # noqa: F401  (subscribes the notification outbox to audit events)
            tasks_webhooks,
        )
