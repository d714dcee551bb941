from django.core.management.base import BaseCommand, CommandError

from answers.signatures import verify_signatures


class Command(BaseCommand):
    help = (
        "Recompute each signed revision's content hash and name every electronic signature whose "
        "revision no longer matches what was signed (exit status 1 if any)."
    )

    def handle(self, *args, **options):
        checked, mismatches = verify_signatures()
        if mismatches:
            for mismatch in mismatches:
                self.stderr.write(str(mismatch))
            raise CommandError(f"{len(mismatches)} of {checked} signatures no longer match their revision.")
        self.stdout.write(f"{checked} signatures checked: each matches the revision it signed.")
