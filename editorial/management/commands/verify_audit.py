from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from editorial.audit import checkpoints
from editorial.audit.content import verify_approved_content
from editorial.audit.trail import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and name the first broken event; name every approved revision whose "
        "stored content no longer matches the hash its approval signed; check the signed checkpoints (those "
        "stored, and each --checkpoint FILE) still reach their head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a checkpoint exported by `audit_checkpoint --export` (repeatable)",
        )
        parser.add_argument(
            "--public-key",
            metavar="FILE",
            help="the key that verifies the checkpoints (PEM or base64); default: that of AUDIT_SIGNING_KEY",
        )

    def handle(self, *args, checkpoint=(), public_key=None, **options):
        trusted = self._public_key(public_key)
        files = [(name, self._read(name)) for name in checkpoint]

        problems = []
        checked, broken = verify_chain()
        if broken is not None:
            problems.append(
                f"Audit chain broken at event {broken.event_id}: {broken.problem}. "
                f"{checked} events before it are intact."
            )
        revisions, changed = verify_approved_content()
        problems += [str(mismatch) for mismatch in changed]
        stored, skipped, stored_problems = checkpoints.verify_stored_checkpoints(trusted)
        problems += stored_problems
        reached = []
        for name, statement in files:
            result = checkpoints.verify_checkpoint(statement, trusted)
            problems += [f"Checkpoint {name}: {problem}." for problem in result.problems]
            reached.append(
                f"Checkpoint {name}: the trail still reaches event {result.head_id} ({result.event_count} events)."
            )
        if problems:
            raise CommandError("\n".join(problems))

        ok = self.style.SUCCESS
        self.stdout.write(ok(f"Audit chain intact: {checked} events verified."))
        self.stdout.write(ok(f"Approved content intact: {revisions} revisions match the hash their approval signed."))
        other = f" ({skipped} signed with another key not checked)" if skipped else ""
        self.stdout.write(ok(f"Stored checkpoints reached: {stored}{other}."))
        for line in reached:
            self.stdout.write(ok(line))

    def _public_key(self, path):
        if path is None:
            return checkpoints.signing_key().public_key()
        try:
            return checkpoints.load_public_key(Path(path).read_text(encoding="utf-8"))
        except (OSError, checkpoints.CheckpointError) as exc:
            raise CommandError(f"Public key {path}: {exc}") from None

    def _read(self, path):
        try:
            return checkpoints.read(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, checkpoints.CheckpointError) as exc:
            raise CommandError(f"Checkpoint {path}: {exc}") from None
