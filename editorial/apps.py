from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial review"

    def ready(self):
        from editorial import admin_api, tasks_webhooks  # noqa: F401  (the API's admin, webhook handler and tasks)
