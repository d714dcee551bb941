"""The full export: every answer with its history, as CSV files in a zip.

The export page queues `report_export_build` on commit; if the broker never got
it, `report_exports_requeue` (beat, every minute) queues it again. The build
holds the export while it runs, so however many copies arrive it is built once.

Celery finds this module through `app.autodiscover_tasks(["editorial.reports"])`
in `config/celery.py` (autodiscovery only looks at `<app>.tasks` by itself).
"""

import contextlib
import io
import tempfile
import zipfile
from collections.abc import Iterator

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import connection
from django.db.models import F

from answers import clock
from answers.models import Answer
from editorial.audit.trail import action_label
from editorial.enqueue import enqueue
from editorial.models import AuditEvent, ExportStatus, ReportExport
from editorial.reports.csv import neutralise, writer

CHUNK = 5000

ANSWER_COLUMNS = [
    ("id", "Answer id"),
    ("question__text", "Question"),
    ("question__specialty__name", "Specialty"),
    ("audience", "Audience"),
    ("status", "State"),
    ("status_changed_at", "In state since"),
    ("created_at", "Created"),
    ("live_revision__number", "Live revision"),
    ("live_revision__model_name", "Live revision model"),
    ("live_revision__model_version", "Live revision model version"),
    ("approved_at", "Approved at"),
    ("last_reviewed", "Last reviewed"),
    ("next_review_due", "Next review due"),
    ("retracted_at", "Retracted at"),
    ("retraction_reason", "Retraction reason"),
]
EVENT_COLUMNS = [
    ("id", "Event id"),
    ("answer_id", "Answer id"),
    ("created_at", "At"),
    ("action", "Action"),
    ("label", "What happened"),
    ("actor_label", "By"),
    ("from_state", "From"),
    ("to_state", "To"),
    ("revision__number", "Revision"),
    ("revision__model_name", "Drafting model"),
    ("revision__model_version", "Model version"),
    ("reason", "Reason"),
]


def _cells(row: dict, columns) -> list:
    return [neutralise("" if row.get(key) is None else str(row[key])) for key, _ in columns]


# PostgreSQL advisory lock namespace: (EXPORT_LOCK, export id) is held by the worker building that export.
EXPORT_LOCK = 0x56455850  # "VEXP"


@contextlib.contextmanager
def _held(export_id: int) -> Iterator[bool]:
    """True when this task may build the export: no other task is building it.

    On PostgreSQL a session advisory lock, held for the whole build and released
    after it, or by the server when the worker's connection dies: a worker lost
    mid-build leaves the export to its redelivered task, and a live one keeps it.
    Other databases (SQLite: development, tasks run eagerly in one process) have
    no second worker to fear.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s::integer, %s::integer)", [EXPORT_LOCK, export_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s::integer, %s::integer)", [EXPORT_LOCK, export_id])


@shared_task
def report_export_build(export_id: int) -> None:
    """Build one export. Safe to run twice, even at the same time: one copy builds it.

    1. hold the export (`_held`): a copy arriving while another builds it returns;
    2. claim it (queued, or running but no longer held: interrupted -> running);
       a finished or failed export is left alone;
    3. count the rows, so the page can show progress;
    4. stream answers.csv and history.csv into a zip, saving progress every chunk;
    5. store the file and mark the export done (or failed, with the error).
    """
    with _held(export_id) as held:
        if held:
            _build(export_id)


def _build(export_id: int) -> None:
    claimed = ReportExport.objects.filter(pk=export_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.RUNNING, rows_done=0
    )
    if not claimed:
        return
    answers = Answer.objects.order_by("id")
    events = AuditEvent.objects.filter(answer_id__isnull=False).order_by("id")
    total = answers.count() + events.count()
    ReportExport.objects.filter(pk=export_id).update(rows_total=total)
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        ReportExport.objects.filter(pk=export_id).update(rows_done=done)

    try:
        with tempfile.TemporaryFile() as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                _write_csv(
                    archive, "answers.csv", answers.values(*[k for k, _ in ANSWER_COLUMNS]), ANSWER_COLUMNS, progress
                )
                _write_csv(
                    archive,
                    "history.csv",
                    events.values(*[k for k, _ in EVENT_COLUMNS if k != "label"]),
                    EVENT_COLUMNS,
                    progress,
                    label=True,
                )
            raw.seek(0)
            export = ReportExport.objects.get(pk=export_id)
            export.file.save(f"vetted-export-{export_id}-{clock.now():%Y%m%d-%H%M%S}.zip", File(raw), save=False)
        ReportExport.objects.filter(pk=export_id).update(
            file=export.file.name, status=ExportStatus.DONE, rows_done=F("rows_total"), finished_at=clock.now()
        )
    except Exception as exc:
        ReportExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, error=str(exc)[:2000])
        raise


def _write_csv(archive, name, rows, columns, progress, *, label=False) -> None:
    with archive.open(name, "w") as member, io.TextIOWrapper(member, encoding="utf-8", newline="") as text:
        out = writer(text)
        out.writerow([header for _, header in columns])
        pending = 0
        for row in rows.iterator(chunk_size=CHUNK):
            if label:
                row["label"] = action_label(row["action"])
            out.writerow(_cells(row, columns))
            pending += 1
            if pending == CHUNK:
                progress(pending)
                pending = 0
        progress(pending)


@shared_task(name="editorial.reports.tasks.report_exports_requeue")
def report_exports_requeue() -> int:
    """Queue again every export still queued REPORT_EXPORT_REQUEUE_AFTER after it
    was requested; returns how many were handed to the broker.

    The request's own hand-over may never have reached the broker (it was down:
    see `editorial.enqueue`). If it did and the workers are only busy, the copy
    is harmless (`report_export_build` builds an export once). Running, finished
    and failed exports are left alone.
    """
    cutoff = clock.now() - settings.REPORT_EXPORT_REQUEUE_AFTER
    waiting = ReportExport.objects.filter(status=ExportStatus.QUEUED, created_at__lte=cutoff).order_by("id")
    queued = 0
    for export_id in waiting.values_list("pk", flat=True)[:100]:
        if not enqueue(report_export_build, export_id):
            break  # the broker is down: the next sweep tries again
        queued += 1
    return queued


@shared_task
def report_exports_expire() -> int:
    """Delete finished exports older than REPORT_EXPORT_RETENTION, file and row; returns how many.

    Exports hold every answer and its history, so they do not linger on disk.
    Queued and running exports are left alone. Safe to run twice: a file
    already gone is skipped.
    """
    cutoff = clock.now() - settings.REPORT_EXPORT_RETENTION
    expired = ReportExport.objects.filter(
        status__in=[ExportStatus.DONE, ExportStatus.FAILED], created_at__lt=cutoff
    ).order_by("id")
    removed = 0
    for export in expired.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return removed
