"""Malformed input is a client error (400 or 404), never a 500, and no response shows database text.

NUL characters reach PostgreSQL as a DataError unless refused first
(`config.request_guards`); an answer id that is not a number, and dates at the
ends of the calendar in a report's filter, are refused by the views themselves.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from answers.models import Status

# What a database error looks like when it leaks into a page.
LEAKS = ("DataError", "NUL (0x00)", "psycopg", "Traceback", "OverflowError", "DATABASE_URL")

MALFORMED = [
    "/?q=%00",
    "/answers/?q=%00",
    "/answers/?specialty=%00",
    "/answers/?q=iron&page=%00",
    "/answers/?%00=x",
    "/answers/%00/",
    "/medical-advisory-board/?x=%00",
    "/admin/answers/answer/?status__exact=%00",
    "/admin/answers/answer/?q=%00",
    "/admin/answers/answer/abc/change/",
    "/admin/answers/answer/%00/change/",
    "/admin/answers/answer/1%00/change/",
    "/admin/editorial/auditevent/?action__exact=%00",
    "/editorial/reports/throughput/?date_from=0001-01-01&date_to=9999-12-31",
    "/editorial/reports/throughput/?date_from=0001-01-01",
    "/editorial/reports/turnaround/?date_to=9999-12-31",
    "/editorial/reports/throughput/?date_from=0001-01-01&date_to=9999-12-31&export=throughput",
    "/editorial/reports/backlog/?specialty=%00",
    "/api/v1/answers/?specialty=%00",
]


@pytest.fixture
def signed_in(client, superuser, answer_in):
    answer_in(Status.APPROVED)
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_input_is_a_client_error(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code in (400, 404), f"{url}: {response.status_code}"
    body = response.content.decode(errors="replace")
    assert not [leak for leak in LEAKS if leak in body], body[:500]


def test_a_nul_character_is_refused_as_plain_text(client, db):
    response = client.get("/answers/", {"q": "iron\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Request-ID"]  # refused after the request got its id (and access line)


def test_the_api_refuses_a_nul_character_in_its_json_error_shape(client, db):
    response = client.get("/api/v1/answers/", {"specialty": "x\x00"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request is invalid.",
        "errors": [{"field": "specialty", "message": "NUL characters are not allowed."}],
    }


def test_the_report_filter_names_the_dates_out_of_range(signed_in):
    url = reverse("editorial_reports:page", args=["throughput"])
    html = signed_in.get(url, {"date_from": "1999-12-31", "date_to": "2100-01-01"}).content.decode()
    assert "Ensure this value is greater than or equal to 2000-01-01." in html
    assert "Ensure this value is less than or equal to 2099-12-31." in html


@pytest.mark.parametrize(
    "period",
    [
        {"date_from": "2000-01-01", "date_to": "2099-12-31"},
        {"date_from": "2000-01-01"},
        {"date_to": "2099-12-31"},
    ],
)
def test_a_report_covers_at_most_ten_years(signed_in, period):
    response = signed_in.get(reverse("editorial_reports:page", args=["throughput"]), period)
    assert response.status_code == 400
    assert "A report covers at most 10 years" in response.content.decode()


def test_ten_years_are_one_report(signed_in):
    period = {"date_from": "2016-01-01", "date_to": "2025-12-31"}
    response = signed_in.get(reverse("editorial_reports:page", args=["throughput"]), period)
    assert response.status_code == 200


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_no_admin_page_fails_on_an_id_that_is_not_a_number(signed_in, view):
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/abc/{view}/"
        response = signed_in.get(url)
        assert response.status_code in (302, 403, 404), f"{url}: {response.status_code}"


def test_an_answer_id_past_the_integer_range_is_not_found(signed_in):
    response = signed_in.get("/admin/answers/answer/99999999999999999999999/change/")
    assert response.status_code in (302, 404)
