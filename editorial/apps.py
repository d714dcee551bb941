from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial review"

    def ready(self) -> None:
        from editorial import outbox  # noqa: F401  (subscribes the notification outbox to audit events)
