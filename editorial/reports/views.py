"""Report pages for editors and staff, their CSV exports, and the full export."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from editorial.access.roles import is_editor
from editorial.enqueue import enqueue_on_commit
from editorial.models import ExportStatus, ReportExport
from editorial.reports import charts, tables
from editorial.reports.csv import csv_response
from editorial.reports.forms import form_for
from editorial.reports.tasks import report_export_build

HOURS = 3600.0


def may_see_reports(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or is_editor(user)))


def reports_access(view):
    """Editors and staff only: anonymous visitors go to the admin's login, others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not may_see_reports(request.user):
            raise PermissionDenied("Reports are for editors and staff.")
        return view(request, *args, **kwargs)

    return wrapper


@reports_access
def index(request):
    exports = ReportExport.objects.filter(requested_by=request.user)[:5]
    return render(
        request,
        "editorial/reports/index.html",
        {"pages": [(slug, title) for slug, (title, _) in tables.PAGES.items()], "exports": exports},
    )


@reports_access
def report(request, page: str):
    if page not in tables.PAGES:
        raise Http404("No such report.")
    title, names = tables.PAGES[page]
    form = form_for(request.GET, default_range=page != "backlog")
    wanted = request.GET.get("export")
    if wanted is not None and wanted not in names:
        return _bad_request(f"export: no table {wanted!r} on this page (one of {', '.join(names)}).")
    if not form.is_valid():
        if wanted:
            errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in form.errors.items())
            return _bad_request(f"Invalid filter. {errors}")
        return render(request, "editorial/reports/page.html", _context(page, title, form, []), status=400)

    f = form.to_filter()
    if wanted:
        data = tables.build([wanted], f)
        return csv_response(
            f"vetted-{wanted}.csv", tables.TABLES[wanted].headers(), tables.formatted(wanted, data[wanted])
        )

    data = tables.build(names, f)
    query = request.GET.copy()
    query.pop("export", None)
    if "date_from" not in query and "date_to" not in query:
        query["date_from"] = form.cleaned_data["date_from"].isoformat() if form.cleaned_data["date_from"] else ""
        query["date_to"] = form.cleaned_data["date_to"].isoformat() if form.cleaned_data["date_to"] else ""
    sections = []
    for name in names:
        table = tables.TABLES[name]
        query["export"] = name
        sections.append(
            {
                "name": name,
                "title": table.title,
                "headers": table.headers(),
                "rows": tables.formatted(name, data[name]),
                "csv_url": f"{request.path}?{query.urlencode()}",
                "chart": _chart(name, data[name]),
            }
        )
    return render(request, "editorial/reports/page.html", _context(page, title, form, sections))


def _bad_request(message: str) -> HttpResponseBadRequest:
    # The message quotes the query string: plain text, so a browser never renders it as HTML.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _context(page, title, form, sections):
    return {
        "page": page,
        "title": title,
        "form": form,
        "sections": sections,
        "pages": [(slug, t) for slug, (t, _) in tables.PAGES.items()],
    }


def _chart(name: str, rows: list[dict]):
    """Figures that change over time get a chart beside their table."""
    labels = [row["week"].strftime("%d %b") for row in rows] if rows and "week" in rows[0] else []
    if name == "throughput":
        series = [
            (column.header, [row[column.key] for row in rows])
            for column in tables.TABLES[name].columns
            if column.key != "week"
        ]
        unit = "answers"
    elif name == "turnaround_weekly":
        series = [
            ("Median", [_hours(row["median_seconds"]) for row in rows]),
            ("90th percentile", [_hours(row["p90_seconds"]) for row in rows]),
        ]
        unit = "hours"
    else:
        return None
    return charts.line_chart(
        chart_id=f"chart-{name}",
        title=tables.TABLES[name].title + f" ({unit})",
        x_labels=labels,
        series=series,
        unit=unit,
        table_id=f"table-{name}",
    )


def _hours(seconds):
    return None if seconds is None else seconds / HOURS


# -- the full export -------------------------------------------------------------


@require_POST
@reports_access
def export_start(request):
    export = ReportExport.objects.create(requested_by=request.user)
    enqueue_on_commit(report_export_build, export.pk)  # broker down: report_exports_requeue queues it
    return redirect("editorial_reports:export", pk=export.pk)


def _own_export(request, pk: int) -> ReportExport:
    # Someone else's export is invisible, not forbidden: its existence is not theirs to know.
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@reports_access
def export_detail(request, pk: int):
    export = _own_export(request, pk)
    return render(
        request,
        "editorial/reports/export.html",
        {
            "export": export,
            "running": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
            "download_url": reverse("editorial_reports:export_download", kwargs={"pk": export.pk})
            if export.status == ExportStatus.DONE
            else None,
        },
    )


@reports_access
def export_download(request, pk: int):
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("This export is not ready.")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
