"""One closed vocabulary of audit actions (`AuditAction`), known without any
module having to be imported first."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from editorial.audit.trail import action_label, audit_record
from editorial.models import AuditAction, AuditEvent


def test_every_label_is_known_right_after_django_setup():
    """A fresh interpreter: only django.setup(), no editorial module imported by hand."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
        "from editorial.audit.trail import action_label;"
        "print(action_label('vetted.followup.claim')); print(action_label('vetted.citation.verdict'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["A drafting system claimed a follow-up question", "Recorded a citation verdict"]


def test_an_unknown_name_reads_as_itself_and_cannot_be_written(db):
    assert action_label("vetted.answer.teleport") == "vetted.answer.teleport"
    from django.db import transaction

    with pytest.raises(ValueError, match="unknown audit action"), transaction.atomic():
        audit_record(action="vetted.answer.teleport")


def test_no_action_name_is_written_as_a_literal_outside_the_vocabulary():
    """Every `"vetted.<thing>.<verb>"` string of the code lives in AuditAction."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[3]
    pattern = re.compile(r"""["']vetted\.(answer|citation|comment|followup|audit)\.[a-z_]+["']""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("answers", "editorial", "config", "bench")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and path != root / "editorial" / "models" / "audit.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_every_action_in_the_demo_history_is_a_member_of_the_vocabulary(db):
    call_command("load_demo", "--answers", "30", stdout=io.StringIO())
    written = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    assert written, "the demo wrote no history"
    assert written <= set(AuditAction.values)
    # The demo's history covers the decisions, not only submissions.
    assert {AuditAction.SUBMIT, AuditAction.APPROVE, AuditAction.CITATION_VERDICT} <= written
