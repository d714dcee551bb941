"""`manage.py generate_report_data` writes a consistent history with an intact audit chain.

The command belongs to the development-only `bench` app, which the project's
settings do not install: the tests hand `call_command` the command itself.
"""

import io

import pytest
from django.core.management import call_command

from answers import selectors
from answers.models import Answer, AnswerSearch, Revision, Section
from bench.management.commands import generate_report_data, report_benchmark
from editorial.audit.content import verify_approved_content
from editorial.audit.trail import verify_chain
from editorial.models import AuditEvent, CitationVerdict
from editorial.reports.queries import STATE_ACTIONS


def test_it_writes_answers_with_a_valid_audit_chain(db):
    call_command(generate_report_data.Command(), "--answers", "60", "--seed", "3", stdout=io.StringIO())
    assert Answer.objects.count() == 60
    events = AuditEvent.objects.count()
    assert 60 * 4 <= events <= 60 * 20
    checked, broken = verify_chain()
    assert (checked, broken) == (events, None)
    approved, changed = verify_approved_content()
    assert approved and changed == []


def test_each_answer_is_in_the_state_its_last_event_says(db):
    call_command(generate_report_data.Command(), "--answers", "60", "--seed", "4", stdout=io.StringIO())
    for answer in Answer.objects.all():
        last = AuditEvent.objects.filter(answer=answer, action__in=STATE_ACTIONS).order_by("-id").first()
        assert last.to_state == answer.status
    approved = Answer.objects.filter(status="approved")
    assert approved.exists()
    assert not approved.filter(live_revision__isnull=True).exists()
    assert not approved.filter(pending_revision__isnull=False).exists()


def test_revision_hashes_and_verdicts_match_the_content(db):
    call_command(generate_report_data.Command(), "--answers", "20", stdout=io.StringIO())
    assert all(revision.verify_hash() for revision in Revision.objects.all())
    assert CitationVerdict.objects.exclude(verdict="").count() > 0


def test_a_second_run_appends_and_keeps_the_chain(db):
    call_command(generate_report_data.Command(), "--answers", "10", stdout=io.StringIO())
    call_command(generate_report_data.Command(), "--answers", "10", stdout=io.StringIO())
    assert Answer.objects.count() == 20
    assert verify_chain()[1] is None


def test_the_report_benchmark_prints_a_line_per_page(db):
    call_command(generate_report_data.Command(), "--answers", "30", stdout=io.StringIO())
    out = io.StringIO()
    call_command(report_benchmark.Command(), "--repeat", "1", stdout=out)
    text = out.getvalue()
    for page in ("backlog", "throughput", "turnaround", "reviewers", "quality", "agreement"):
        assert f"\n{page} " in text
    assert "slowest request" in text


@pytest.mark.postgres
def test_generated_answers_are_found_by_their_live_text(db):
    """The answers are written before their sections; the command indexes their live text afterwards."""
    call_command(generate_report_data.Command(), "--answers", "30", "--seed", "5", stdout=io.StringIO())
    public = Answer.objects.public()
    assert AnswerSearch.objects.count() == public.count() > 0
    answer = public.order_by("pk").first()
    word = Section.objects.filter(revision=answer.live_revision_id).values_list("body", flat=True)[0].split()[0]
    assert answer in selectors.answer_list(query=word)
