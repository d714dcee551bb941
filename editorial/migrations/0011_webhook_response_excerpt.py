"""Webhook attempts keep only a short, clean excerpt of the response (issue 13: callback SSRF).

Bodies stored before could hold up to 1,000 characters of whatever answered,
an internal service included: cut them down to the same excerpt new attempts keep.
"""

import unicodedata

from django.db import migrations, models

EXCERPT_CHARS = 200


def _excerpt(text: str) -> str:
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    return " ".join(cleaned.split())[:EXCERPT_CHARS]


def trim_bodies(apps, schema_editor):
    WebhookAttempt = apps.get_model("editorial", "WebhookAttempt")
    for attempt in WebhookAttempt.objects.exclude(response_body="").only("pk", "response_body").iterator():
        trimmed = _excerpt(attempt.response_body)
        if trimmed != attempt.response_body:
            WebhookAttempt.objects.filter(pk=attempt.pk).update(response_body=trimmed)


class Migration(migrations.Migration):
    dependencies = [("editorial", "0010_audit_action_choices")]

    operations = [
        migrations.AlterField(
            model_name="webhookattempt",
            name="response_body",
            field=models.TextField(
                blank=True, help_text="At most 200 characters of the response, control characters removed."
            ),
        ),
        migrations.RunPython(trim_bodies, migrations.RunPython.noop),
    ]
