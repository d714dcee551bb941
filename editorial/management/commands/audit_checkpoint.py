from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from editorial.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head (last event's id, event count, hash, time) with AUDIT_SIGNING_KEY, "
        "store the checkpoint and print it as JSON. Keep the file outside the database, with the public key: "
        "`verify_audit --checkpoint FILE` then proves the trail was not cut or rewritten up to that head."
    )

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", help="also write the checkpoint to FILE (a new file)")
        parser.add_argument(
            "--public-key", action="store_true", help="print the public key that verifies checkpoints; sign nothing"
        )

    def handle(self, *args, export=None, public_key=False, **options):
        if public_key:
            key = checkpoints.signing_key().public_key()
            self.stdout.write(checkpoints.public_key_pem(key), ending="")
            self.stderr.write(f"key id {checkpoints.key_id(key)}")
            return
        target = Path(export) if export else None
        if target is not None and target.exists():
            raise CommandError(f"{target} exists: an auditor's checkpoint is never overwritten; name a new file.")
        checkpoint, _ = checkpoints.write_checkpoint()
        document = checkpoints.dumps(checkpoints.export(checkpoint))
        if target is not None:
            with target.open("x", encoding="utf-8") as out:
                out.write(document)
            self.stderr.write(
                f"Checkpoint of event {checkpoint.head_id} ({checkpoint.event_count} events) written to {target}."
            )
        self.stdout.write(document, ending="")
