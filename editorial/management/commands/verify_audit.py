from django.core.management.base import BaseCommand, CommandError

from editorial.audit.trail import verify_chain


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and name the first broken event."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event {broken.event_id}: {broken.problem}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
