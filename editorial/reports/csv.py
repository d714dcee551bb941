"""CSV exports that a spreadsheet opens as data, never as formulas.

Drafted text and reasons can begin with `=`, `+`, `-` or `@`; a spreadsheet
would evaluate such a cell. Those cells get a leading apostrophe (the OWASP
advice); tab and carriage return are treated the same way.
"""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as written: text starting like a formula is quoted with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def writer(stream):
    return csv.writer(stream, lineterminator="\r\n")


def write_rows(stream, header: list[str], rows) -> None:
    out = writer(stream)
    out.writerow([neutralise(h) for h in header])
    for row in rows:
        out.writerow([neutralise(cell) for cell in row])


def to_text(header: list[str], rows) -> str:
    stream = io.StringIO()
    write_rows(stream, header, rows)
    return stream.getvalue()


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_rows(response, header, rows)
    return response
