"""The report pages and their CSV exports show the figures of the hand-made history."""

import csv
import io

import pytest
from django.urls import reverse

from tests.editorial.reports.history import CHANGE_REASON, EXPECTED, RANGE

PAGES = ["backlog", "throughput", "turnaround", "reviewers", "quality"]


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _export(client, page, table, **params):
    return client.get(reverse("editorial_reports:page", args=[page]), {**RANGE, **params, "export": table})


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_an_editor(staff_client, history, page):
    response = staff_client.get(reverse("editorial_reports:page", args=[page]), RANGE)
    assert response.status_code == 200
    assert b"Download CSV" in response.content


def test_turnaround_page_shows_median_and_p90(staff_client, history):
    response = staff_client.get(reverse("editorial_reports:page", args=["turnaround"]), RANGE)
    summary = response.context["sections"][0]
    assert summary["name"] == "turnaround"
    assert summary["rows"] == [[3, 11.0, 18.2]]
    assert '<td class="num">18.2</td>' in response.content.decode()


def test_turnaround_csv_matches_the_worked_figures(staff_client, history):
    rows = _csv(_export(staff_client, "turnaround", "turnaround"))
    assert rows == [["Approvals", "Median (hours)", "90th percentile (hours)"], ["3", "11.0", "18.2"]]


def test_time_in_state_csv_matches_the_worked_figures(staff_client, history):
    rows = _csv(_export(staff_client, "turnaround", "time_in_state"))
    by_state = {row[0]: [float(v) for v in row[1:]] for row in rows[1:]}
    expected = EXPECTED["time_in_state"]
    assert by_state["Changes requested"] == [1, 4.0, 4.0, 4.0]
    assert by_state["Submitted"] == [5, expected["submitted"]["mean"], 2.0, 3.2]
    assert by_state["Under review"] == [5, 5.0, 3.0, 9.2]


def test_throughput_csv_matches_the_week(staff_client, history):
    rows = _csv(_export(staff_client, "throughput", "throughput"))
    assert rows[0][0] == "Week starting"
    assert rows[2] == ["2026-01-05", "6", "3", "1", "1", "1"]


def test_reviewers_csv_matches(staff_client, history):
    rows = _csv(_export(staff_client, "reviewers", "reviewers"))
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Dr. Maya Chen"] == ["0", "2", "1", "0", "0", "3.0", "0"]
    assert by_name["Dr. Daniel Okafor"] == ["0", "1", "0", "1", "1", "6.0", "1"]


def test_quality_csv_matches_verdict_shares_per_model(staff_client, history):
    rows = _csv(_export(staff_client, "quality", "quality"))
    by_model = {row[0]: row[1:] for row in rows[1:]}
    assert by_model["medrafter 1.0"] == ["2", "50.0", "2", "0.5", "6", "16.7", "16.7"]
    assert by_model["guideline-writer 2.3"] == ["2", "50.0", "1", "0.0", "4", "25.0", "0.0"]


def test_csv_neutralises_a_reason_that_starts_like_a_formula(staff_client, history):
    rows = _csv(_export(staff_client, "quality", "reasons"))
    assert ["medrafter 1.0", "Changes requested", "'" + CHANGE_REASON, "1"] in rows


def test_csv_export_keeps_the_page_filters(staff_client, history):
    rows = _csv(_export(staff_client, "turnaround", "turnaround", specialty="hematology-oncology"))
    assert rows[1] == ["2", "12.5", "18.5"]  # A 5h, B 20h


def test_page_links_to_csv_with_its_filters(staff_client, history):
    response = staff_client.get(
        reverse("editorial_reports:page", args=["turnaround"]), {**RANGE, "specialty": "cardiology"}
    )
    url = response.context["sections"][0]["csv_url"]
    assert "specialty=cardiology" in url and "date_from=2026-01-01" in url and "export=turnaround" in url


def test_first_visit_defaults_to_the_last_twelve_weeks(staff_client, history):
    response = staff_client.get(reverse("editorial_reports:page", args=["throughput"]))
    assert response.status_code == 200
    assert len(response.context["sections"][0]["rows"]) in (12, 13)


def test_time_based_figures_have_an_svg_chart_with_a_text_alternative(staff_client, history):
    response = staff_client.get(reverse("editorial_reports:page", args=["throughput"]), RANGE)
    html = response.content.decode()
    assert '<svg id="chart-throughput"' in html
    assert 'role="img"' in html and 'aria-describedby="table-throughput"' in html
    assert "<desc" in html and "Submissions: lowest 0 answers, highest 6 answers" in html
    assert "<script" not in html
    # No inline style or script: the pages work under a strict Content-Security-Policy.
    assert "<style" not in html and " style=" not in html
    assert "editorial/reports/reports.css" in html


def test_a_bad_filter_is_a_400_naming_the_field(staff_client, history):
    response = staff_client.get(
        reverse("editorial_reports:page", args=["throughput"]), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "end date is before" in response.content.decode()
    response = _export(staff_client, "throughput", "throughput", date_from="yesterday")
    assert response.status_code == 400
    assert "date_from" in response.content.decode()


def test_an_unknown_table_is_a_400(staff_client, history):
    response = _export(staff_client, "throughput", "reviewers")
    assert response.status_code == 400
