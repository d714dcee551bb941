"""The full export runs as a task, shows its progress, and only its requester may download it."""

import csv
import io
import os
import time
import zipfile
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from answers import clock
from config.celery import app as celery_app
from editorial.models import ExportStatus, ReportExport
from editorial.reports import tasks as export_tasks
from editorial.reports.tasks import report_export_build, report_exports_expire
from tests.editorial.reports.history import CHANGE_REASON
from tests.support.workers import wait_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _zip(response) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: list(csv.reader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()}


def test_editor_exports_every_answer_with_its_history(
    client, editor, history, eager, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editorial_reports:export_start"))
    export = ReportExport.objects.get()
    assert response["Location"] == reverse("editorial_reports:export", args=[export.pk])
    assert export.status == ExportStatus.DONE
    assert export.rows_done == export.rows_total > 0

    page = client.get(response["Location"]).content.decode()
    assert "100%" in page and 'id="export-download"' in page

    files = _zip(client.get(reverse("editorial_reports:export_download", args=[export.pk])))
    assert set(files) == {"answers.csv", "history.csv"}
    assert len(files["answers.csv"]) == 1 + 5
    history_rows = files["history.csv"]
    b_events = [row for row in history_rows[1:] if row[1] == str(history["b"].pk)]
    assert [row[3] for row in b_events if row[3].startswith("vetted.answer.")] == [
        "vetted.answer.submit",
        "vetted.answer.start_review",
        "vetted.answer.request_changes",
        "vetted.answer.submit",
        "vetted.answer.start_review",
        "vetted.answer.approve",
    ]
    assert "'" + CHANGE_REASON in [row[-1] for row in b_events]


def test_only_the_requester_can_see_or_download_the_export(client, editor, superuser, history):
    export = ReportExport.objects.create(requested_by=editor)
    report_export_build(export.pk)
    client.force_login(superuser)
    assert client.get(reverse("editorial_reports:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("editorial_reports:export_download", args=[export.pk])).status_code == 404


def test_a_queued_export_shows_progress_and_no_link(client, editor, db):
    export = ReportExport.objects.create(requested_by=editor, rows_total=200, rows_done=50)
    client.force_login(editor)
    response = client.get(reverse("editorial_reports:export", args=[export.pk]))
    html = response.content.decode()
    assert 'value="25"' in html and 'http-equiv="refresh"' in html
    assert "export-download" not in html
    assert client.get(reverse("editorial_reports:export_download", args=[export.pk])).status_code == 404


def test_running_the_task_twice_leaves_the_finished_export_alone(editor, history):
    export = ReportExport.objects.create(requested_by=editor)
    report_export_build(export.pk)
    first = ReportExport.objects.get(pk=export.pk)
    report_export_build(export.pk)
    again = ReportExport.objects.get(pk=export.pk)
    assert (again.status, again.file.name, again.finished_at) == (ExportStatus.DONE, first.file.name, first.finished_at)


def test_export_start_needs_post(client, editor):
    client.force_login(editor)
    assert client.get(reverse("editorial_reports:export_start")).status_code == 405


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_the_export_and_the_page_follows_it(client, editor, answer_in):
    answer_in("approved")
    client.force_login(editor)
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = client.post(reverse("editorial_reports:export_start"))
        export = ReportExport.objects.get()
        deadline = time.monotonic() + 60
        while export.status != ExportStatus.DONE and time.monotonic() < deadline:
            time.sleep(0.2)
            export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    html = client.get(response["Location"]).content.decode()
    assert 'id="export-download"' in html
    files = _zip(client.get(reverse("editorial_reports:export_download", args=[export.pk])))
    assert len(files["answers.csv"]) == 2


def test_finished_exports_expire_with_their_files_and_running_ones_stay(settings, editor, tmp_path):
    settings.REPORT_EXPORT_RETENTION = timedelta(days=7)
    old = clock.now() - timedelta(days=8)

    def export(status, created_at, *, with_file=True):
        row = ReportExport.objects.create(requested_by=editor, status=status, created_at=created_at)
        if with_file:
            row.file.save(f"export-{row.pk}.zip", ContentFile(b"zip"), save=True)
        return row

    expired = export(ExportStatus.DONE, old)
    failed = export(ExportStatus.FAILED, old, with_file=False)
    running = export(ExportStatus.RUNNING, old, with_file=False)
    recent = export(ExportStatus.DONE, clock.now() - timedelta(days=6))
    expired_path = expired.file.path

    assert report_exports_expire() == 2
    assert set(ReportExport.objects.values_list("pk", flat=True)) == {running.pk, recent.pk}
    assert not ReportExport.objects.filter(pk=failed.pk).exists()
    assert not os.path.exists(expired_path)
    assert (tmp_path / recent.file.name).exists()
    assert report_exports_expire() == 0  # safe to run twice


def test_export_expiry_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-report-exports"]
    assert entry["task"] == "editorial.reports.tasks.report_exports_expire"
    assert entry["task"] in celery_app.tasks


# -- exports the broker never got (the request's hand-over failed) ------------------------------------------


def test_the_requeue_sweep_queues_exports_still_waiting_after_a_while(settings, editor, eager):
    settings.REPORT_EXPORT_REQUEUE_AFTER = timedelta(seconds=60)
    old = clock.now() - timedelta(seconds=61)
    waiting = ReportExport.objects.create(requested_by=editor, created_at=old)
    recent = ReportExport.objects.create(requested_by=editor)  # its own hand-over may still arrive
    running = ReportExport.objects.create(requested_by=editor, created_at=old, status=ExportStatus.RUNNING)
    done = ReportExport.objects.create(requested_by=editor, created_at=old, status=ExportStatus.DONE)

    assert export_tasks.report_exports_requeue() == 1  # eager: built at once

    statuses = dict(ReportExport.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: ExportStatus.DONE,
        recent.pk: ExportStatus.QUEUED,
        running.pk: ExportStatus.RUNNING,
        done.pk: ExportStatus.DONE,
    }
    assert export_tasks.report_exports_requeue() == 0


@pytest.mark.postgres
def test_an_export_being_built_by_another_worker_is_not_started_again(editor, history):
    export = ReportExport.objects.create(requested_by=editor, status=ExportStatus.RUNNING, rows_done=7, rows_total=9)
    other_worker = connection.get_new_connection(connection.get_connection_params())
    try:
        other_worker.execute("SELECT pg_advisory_lock(%s::integer, %s::integer)", [export_tasks.EXPORT_LOCK, export.pk])
        report_export_build(export.pk)  # a second copy (the requeue sweep, a redelivery) arrives meanwhile
        export.refresh_from_db()
        assert (export.status, export.rows_done, export.file.name) == (ExportStatus.RUNNING, 7, "")
    finally:
        other_worker.close()  # the worker dies: its lock goes with its connection
    wait_for(lambda: not _advisory_locks(export.pk), timeout=10, what="the server to drop the dead worker's lock")

    report_export_build(export.pk)  # the redelivered task takes over the interrupted export
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.file.name


def _advisory_locks(export_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
            [export_tasks.EXPORT_LOCK, export_id],
        )
        return cursor.fetchone()[0]


def test_export_requeue_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-report-exports"]
    assert entry["task"] == "editorial.reports.tasks.report_exports_requeue"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] <= settings.REPORT_EXPORT_REQUEUE_AFTER
