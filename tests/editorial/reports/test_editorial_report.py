"""`manage.py editorial_report` prints the same figures as the pages."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.editorial.reports.history import CHANGE_REASON, EXPECTED


def _run(*args) -> str:
    out = io.StringIO()
    call_command("editorial_report", "--from", "2026-01-01", "--to", "2026-01-20", *args, stdout=out)
    return out.getvalue()


def test_json_holds_the_worked_figures(history):
    tables = json.loads(_run("--format", "json"))["tables"]
    assert tables["turnaround"] == [{"approvals": 3, "median_seconds": 11.0, "p90_seconds": 18.2}]
    states = {row["label"]: row for row in tables["time_in_state"]}
    assert states["Under review"] == {
        "label": "Under review",
        "stays": 5,
        "mean_seconds": 5.0,
        "median_seconds": 3.0,
        "p90_seconds": 9.2,
    }
    week = next(row for row in tables["throughput"] if row["week"] == "2026-01-05")
    assert week["submissions"] == EXPECTED["throughput_week"]["submissions"]
    quality = {row["model"]: row for row in tables["quality"]}
    assert quality["medrafter 1.0"]["unsupported_share"] == 16.7
    assert quality["guideline-writer 2.3"]["unverifiable_share"] == 25.0
    reviewers = {row["reviewer"]: row for row in tables["reviewers"]}
    assert reviewers["Dr. Daniel Okafor"]["median_review_seconds"] == 6.0


def test_specialty_narrows_the_figures(history):
    tables = json.loads(_run("--format", "json", "--specialty", "cardiology", "--table", "turnaround"))["tables"]
    assert tables == {"turnaround": [{"approvals": 1, "median_seconds": 11.0, "p90_seconds": 11.0}]}


def test_csv_prints_every_table_with_formulas_neutralised(history):
    text = _run("--format", "csv")
    assert "# Submission to approval (turnaround)" in text
    blocks = {}
    for block in text.strip().split("\n\n"):
        title, _, body = block.partition("\n")
        blocks[title] = list(csv.reader(io.StringIO(body)))
    assert blocks["# Submission to approval (turnaround)"] == [
        ["Approvals", "Median (hours)", "90th percentile (hours)"],
        ["3", "11.0", "18.2"],
    ]
    assert ["medrafter 1.0", "Changes requested", "'" + CHANGE_REASON, "1"] in blocks[
        "# Most frequent reasons for changes and rejection, per model (reasons)"
    ]


def test_a_bad_date_names_the_argument(db):
    with pytest.raises(CommandError, match="--from"):
        call_command("editorial_report", "--from", "1 Jan", "--to", "2026-01-20")


def test_an_unknown_specialty_is_refused_with_the_known_ones(specialty):
    with pytest.raises(CommandError, match="hematology-oncology"):
        call_command("editorial_report", "--from", "2026-01-01", "--to", "2026-01-20", "--specialty", "dermatology")
