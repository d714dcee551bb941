"""Hand undelivered notifications to the broker (also a beat task, every minute).

Run it from cron while Redis or beat is down for long, or after an outage:
`python manage.py relay_outbox`.
"""

from django.core.management.base import BaseCommand

from editorial.notify import outbox


class Command(BaseCommand):
    help = "Hand undelivered outbox messages to the Celery broker."

    def handle(self, *args, **options):
        found, handed = outbox.relay_pending()
        self.stdout.write(f"{found} undelivered message(s), {handed} handed to the broker.")
        if handed < found:
            self.stderr.write("The broker refused the rest; they stay in the outbox for the next run.")
            raise SystemExit(1)
