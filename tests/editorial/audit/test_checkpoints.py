"""Signed checkpoints of the audit chain's head (issue 13, finding 8).

Someone who can turn PostgreSQL's triggers off can cut the trail's tail, or
rewrite an event and re-chain everything after it: the chain alone still
verifies. A checkpoint exported before, kept outside the database, does not.
"""

import base64
import json
import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pgtrigger
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from answers.models import ImmutableError, Status
from editorial.audit import checkpoints
from editorial.audit.trail import event_hash, verify_chain
from editorial.models import AuditCheckpoint, AuditEvent

ROOT = Path(__file__).resolve().parents[3]


def _export(path: Path) -> dict:
    call_command("audit_checkpoint", "--export", str(path), stdout=StringIO(), stderr=StringIO())
    return json.loads(path.read_text())


def _verify(*files: Path, public_key: Path | None = None) -> str:
    args = [arg for f in files for arg in ("--checkpoint", str(f))]
    if public_key is not None:
        args += ["--public-key", str(public_key)]
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _sql(sql: str, params: list) -> None:
    with pgtrigger.ignore("editorial.AuditEvent:audit_append_only"), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rechain_from(event_id: int) -> None:
    """Recompute every hash from `event_id` on, as a forger would after rewriting that event."""
    prev = AuditEvent.objects.filter(id__lt=event_id).order_by("-id").values_list("hash", flat=True).first()
    for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
        event.prev_hash = prev
        event.hash = prev = event_hash(event)
        _sql(
            "UPDATE editorial_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.id],
        )


@pytest.fixture
def history(answer_in):
    """Two answers' history: 10 events."""
    answer_in(Status.APPROVED)
    answer_in(Status.APPROVED, question="Is iron safe with tea?")
    assert AuditEvent.objects.count() == 10


def test_an_intact_chain_reaches_its_checkpoint_also_after_new_events(history, answer_in, tmp_path):
    statement = _export(tmp_path / "checkpoint.json")
    last = AuditEvent.objects.order_by("-id").first()
    assert (statement["head_id"], statement["event_count"], statement["head_hash"]) == (last.id, 10, last.hash)
    assert statement["format"] == "vetted-audit-checkpoint/1" and statement["signature"]
    answer_in(Status.SUBMITTED, question="A later question?")  # events after the checkpoint are fine
    out = _verify(tmp_path / "checkpoint.json")
    assert f"the trail still reaches event {last.id} (10 events)" in out
    assert "Stored checkpoints reached: 1." in out


@pytest.mark.postgres
def test_a_cut_tail_is_caught(history, tmp_path):
    statement = _export(tmp_path / "checkpoint.json")
    last_five = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:5])
    _sql("DELETE FROM editorial_auditevent WHERE id = ANY(%s)", [last_five])
    assert verify_chain() == (5, None)  # the chain alone cannot tell
    with pytest.raises(CommandError, match=f"event {statement['head_id']}, its head, is missing") as caught:
        _verify(tmp_path / "checkpoint.json")
    assert "it counted 10 events" in str(caught.value)


@pytest.mark.postgres
def test_a_rewritten_and_rechained_event_is_caught(history, tmp_path):
    statement = _export(tmp_path / "checkpoint.json")
    approval = AuditEvent.objects.filter(action="vetted.answer.approve").order_by("id").first()
    _sql("UPDATE editorial_auditevent SET reason = %s WHERE id = %s", ["Approved without reading", approval.id])
    _rechain_from(approval.id)
    assert verify_chain() == (10, None)  # the chain alone cannot tell
    with pytest.raises(CommandError, match=f"event {statement['head_id']}, its head, has another hash"):
        _verify(tmp_path / "checkpoint.json")


def test_a_forged_checkpoint_is_refused(history, tmp_path):
    """Whoever rewrote the trail cannot make a matching checkpoint without the key."""
    statement = _export(tmp_path / "checkpoint.json")
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**statement, "head_hash": "f" * 64}))
    with pytest.raises(CommandError, match="forged.json: its signature is invalid"):
        _verify(forged)

    # Signed with the forger's own key but naming ours: still invalid.
    theirs = Ed25519PrivateKey.generate()
    resigned = {**statement, "event_count": 3}
    resigned["signature"] = base64.b64encode(theirs.sign(checkpoints._message(resigned))).decode()
    forged.write_text(json.dumps(resigned))
    with pytest.raises(CommandError, match="its signature is invalid"):
        _verify(forged)

    # Naming the forger's key: refused, that key is not the trusted one.
    forged.write_text(json.dumps({**resigned, "key_id": checkpoints.key_id(theirs.public_key())}))
    with pytest.raises(CommandError, match="not the trusted key"):
        _verify(forged)


def test_a_checkpoint_verifies_with_the_public_key_alone(history, tmp_path, settings, capsys):
    _export(tmp_path / "checkpoint.json")
    call_command("audit_checkpoint", "--public-key")
    pem = capsys.readouterr().out
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "public.pem").write_text(pem)
    assert "still reaches event" in _verify(tmp_path / "checkpoint.json", public_key=tmp_path / "public.pem")

    other = Ed25519PrivateKey.generate().public_key()
    (tmp_path / "other.pem").write_text(checkpoints.public_key_pem(other))
    with pytest.raises(CommandError, match="not the trusted key"):
        _verify(tmp_path / "checkpoint.json", public_key=tmp_path / "other.pem")


def test_verify_audit_exits_non_zero_on_a_checkpoint_it_does_not_reach(history, tmp_path):
    statement = _export(tmp_path / "checkpoint.json")
    (tmp_path / "later.json").write_text(json.dumps({**statement, "head_id": statement["head_id"] + 1}))
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_audit", "--checkpoint", str(tmp_path / "later.json")]).execute()
    assert exited.value.code == 1


def test_a_file_that_is_not_a_checkpoint_is_named(db, tmp_path):
    (tmp_path / "x.json").write_text('{"head_id": 3}')
    with pytest.raises(CommandError, match="x.json: not a vetted-audit-checkpoint/1 document"):
        _verify(tmp_path / "x.json")


def test_export_never_overwrites_a_file(history, tmp_path):
    (tmp_path / "kept.json").write_text("an older checkpoint")
    with pytest.raises(CommandError, match="exists"):
        call_command("audit_checkpoint", "--export", str(tmp_path / "kept.json"))
    assert (tmp_path / "kept.json").read_text() == "an older checkpoint"


def test_a_pem_key_signs_too(history, tmp_path, settings):
    key = Ed25519PrivateKey.generate()
    settings.AUDIT_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    statement = _export(tmp_path / "checkpoint.json")
    assert statement["key_id"] == checkpoints.key_id(key.public_key())
    assert "still reaches event" in _verify(tmp_path / "checkpoint.json")


def test_stored_checkpoints_are_checked_and_those_of_another_key_skipped(history, settings, capsys):
    checkpoints.write_checkpoint()
    settings.AUDIT_SIGNING_KEY = base64.b64encode(os.urandom(32)).decode()
    call_command("verify_audit")
    assert "Stored checkpoints reached: 0 (1 signed with another key not checked)." in capsys.readouterr().out


@pytest.mark.postgres
def test_a_stored_checkpoint_catches_a_cut_tail_too(history):
    checkpoint, _ = checkpoints.write_checkpoint()
    _sql("DELETE FROM editorial_auditevent WHERE id = %s", [checkpoint.head_id])
    with pytest.raises(CommandError, match=f"Stored checkpoint {checkpoint.pk} .*is missing"):
        call_command("verify_audit")


def test_the_scheduled_task_signs_a_moved_head_once_and_logs_it(history, answer_in, caplog):
    with caplog.at_level(logging.INFO, logger="editorial.audit.checkpoints"):
        head = checkpoints.audit_checkpoint()
        assert checkpoints.audit_checkpoint() == head  # nothing new: no second checkpoint
    assert AuditCheckpoint.objects.count() == 1
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Audit checkpoint ")]
    assert len(logged) == 1
    assert json.loads(logged[0].removeprefix("Audit checkpoint ")) == checkpoints.export(AuditCheckpoint.objects.get())
    answer_in(Status.SUBMITTED, question="A later question?")
    assert checkpoints.audit_checkpoint() > head
    assert AuditCheckpoint.objects.count() == 2


def test_an_empty_trail_has_a_checkpoint_that_proves_nothing(db, tmp_path):
    statement = _export(tmp_path / "empty.json")
    assert (statement["head_id"], statement["event_count"]) == (0, 0)
    assert "still reaches event 0 (0 events)" in _verify(tmp_path / "empty.json")


def test_the_checkpoint_task_is_on_the_beat_schedule_and_found_by_the_worker(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "editorial.audit_checkpoint"
    # A fresh process, as a worker starts: Celery's autodiscovery must find the task.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from config.celery import app; app.loader.import_default_modules(); "
            "print('editorial.audit_checkpoint' in app.tasks)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.stdout.strip() == "True", found.stderr


def test_checkpoints_are_written_once(history):
    checkpoint, _ = checkpoints.write_checkpoint()
    with pytest.raises(ImmutableError):
        AuditCheckpoint.objects.update(head_hash="0" * 64)
    with pytest.raises(ImmutableError):
        checkpoint.delete()


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_a_checkpoint(history):
    checkpoints.write_checkpoint()
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditCheckpoint._base_manager.update(head_hash="0" * 64)
