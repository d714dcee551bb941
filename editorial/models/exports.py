"""A full export of the review history, built in the background for one staff member."""

from django.conf import settings
from django.db import models

from answers import clock


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class ReportExport(models.Model):
    """Every answer with its history, as CSV files in a zip.

    Only `requested_by` may download the file; the task fills in progress.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Export {self.pk} for {self.requested_by} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))
