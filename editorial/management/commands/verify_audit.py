from django.core.management.base import BaseCommand, CommandError

from editorial.audit import verify_chain
from editorial.audit_content import verify_approved_content


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and name the first broken event; "
        "name every approved revision whose stored content no longer matches the hash its approval signed."
    )

    def handle(self, *args, **options):
        problems = []
        checked, broken = verify_chain()
        if broken is not None:
            problems.append(
                f"Audit chain broken at event {broken.event_id}: {broken.problem}. "
                f"{checked} events before it are intact."
            )
        revisions, changed = verify_approved_content()
        problems += [str(mismatch) for mismatch in changed]
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
        self.stdout.write(
            self.style.SUCCESS(f"Approved content intact: {revisions} revisions match the hash their approval signed.")
        )
