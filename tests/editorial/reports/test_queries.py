"""Each figure, computed by the database on the hand-made history, against the worked answer."""

from datetime import UTC, date, datetime

import pytest

from answers import clock
from answers.models import Status
from editorial.reports import queries
from editorial.reports.queries import ReportFilter
from editorial.reports.sql import percentile_cont
from tests.editorial.reports.history import CHANGE_REASON, EXPECTED, REJECT_REASON, H

IN_RANGE = ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 20))


def test_percentile_cont_interpolates_like_postgresql():
    assert percentile_cont([5, 20, 11], 0.5) == 11
    assert percentile_cont([5, 20, 11], 0.9) == pytest.approx(18.2)
    assert percentile_cont([1, 2], 0.5) == 1.5
    assert percentile_cont([], 0.5) is None


def test_turnaround_counts_from_the_first_submission_of_the_cycle(history):
    figures = queries.turnaround(IN_RANGE)
    assert figures["approvals"] == EXPECTED["turnaround"]["approvals"]
    assert figures["median_seconds"] / H == pytest.approx(EXPECTED["turnaround"]["median_h"])
    assert figures["p90_seconds"] / H == pytest.approx(EXPECTED["turnaround"]["p90_h"])


def test_turnaround_by_week_puts_every_approval_in_the_week_it_happened(history):
    weekly = {row["week"]: row for row in queries.turnaround(IN_RANGE)["weekly"]}
    assert list(weekly) == [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]
    assert weekly[date(2026, 1, 5)]["approvals"] == 3
    assert weekly[date(2026, 1, 5)]["median_seconds"] / H == pytest.approx(11.0)
    assert weekly[date(2026, 1, 12)]["approvals"] == 0
    assert weekly[date(2026, 1, 12)]["median_seconds"] is None


def test_time_in_state_counts_both_stays_of_a_changes_requested_round_trip(history):
    rows = {row["state"]: row for row in queries.time_in_state(IN_RANGE)}
    assert set(rows) == set(EXPECTED["time_in_state"])
    for state, expected in EXPECTED["time_in_state"].items():
        assert rows[state]["stays"] == expected["stays"], state
        assert rows[state]["mean_seconds"] / H == pytest.approx(expected["mean"]), state
        assert rows[state]["median_seconds"] / H == pytest.approx(expected["median"]), state
        assert rows[state]["p90_seconds"] / H == pytest.approx(expected["p90"]), state


def test_throughput_counts_each_kind_of_decision_per_week(history):
    rows = queries.throughput(IN_RANGE)
    assert [row["week"] for row in rows] == [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]
    assert rows[1] == EXPECTED["throughput_week"]
    assert rows[0]["submissions"] == rows[2]["approvals"] == 0


def test_reviewers_show_decisions_review_time_and_re_reviews(history):
    rows = {row["username"]: row for row in queries.reviewers(IN_RANGE)}
    for username, (approvals, changes, rejections, retractions, median_h, re_reviews) in EXPECTED["reviewers"].items():
        row = rows[username]
        assert (row["approvals"], row["changes_requested"], row["rejections"], row["retractions"]) == (
            approvals,
            changes,
            rejections,
            retractions,
        )
        assert row["median_review_seconds"] / H == pytest.approx(median_h)
        assert row["re_reviews"] == re_reviews
        assert row["open_assignments"] == 0


def test_reviewers_count_open_assignments(history, submit, board_member):
    from editorial.review import services

    answer = submit(question="Question F?")
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    rows = {row["username"]: row for row in queries.reviewers(IN_RANGE)}
    assert rows["maya"]["open_assignments"] == 1
    assert rows["daniel"]["open_assignments"] == 0


def test_quality_gives_first_pass_rate_rounds_and_verdict_shares_per_model(history):
    rows = {row["model"]: row for row in queries.quality(IN_RANGE)}
    assert set(rows) == set(EXPECTED["quality"])
    for model, (decisions, rate, approvals, rounds, checked, unverifiable, unsupported) in EXPECTED["quality"].items():
        row = rows[model]
        assert row["first_pass_decisions"] == decisions
        assert row["first_pass_approval_rate"] * 100 == pytest.approx(rate)
        assert row["approvals"] == approvals
        assert row["mean_rounds_before_approval"] == pytest.approx(rounds)
        assert row["citations_checked"] == checked
        assert row["unverifiable_share"] * 100 == pytest.approx(unverifiable, abs=0.05)
        assert row["unsupported_share"] * 100 == pytest.approx(unsupported, abs=0.05)


def test_top_reasons_list_the_reasons_given(history):
    rows = [(r["model"], r["decision"], r["reason"], r["count"]) for r in queries.top_reasons(IN_RANGE)]
    assert rows == [
        ("guideline-writer 2.3", "Rejected", REJECT_REASON, 1),
        ("medrafter 1.0", "Changes requested", CHANGE_REASON, 1),
    ]


def test_backlog_shows_ages_sla_and_review_due_now(history):
    with clock.travel(datetime(2027, 1, 7, 9, 0, tzinfo=UTC)):
        rows = {row["state"]: row for row in queries.backlog(ReportFilter())}
    assert rows[Status.SUBMITTED]["count"] == 1
    assert rows[Status.SUBMITTED]["oldest_age_seconds"] / H == pytest.approx(365 * 24)
    assert rows[Status.SUBMITTED]["past_sla"] == 1
    assert rows[Status.APPROVED]["count"] == 2
    # B was approved 5 Jan 2026 (due 5 Jan 2027); A was re-reviewed 9 Jan 2026 (due 9 Jan 2027).
    assert rows[Status.APPROVED]["past_review_due"] == 1
    assert rows[Status.REJECTED]["count"] == rows[Status.RETRACTED]["count"] == 1
    assert rows[Status.UNDER_REVIEW]["count"] == 0


def test_specialty_filter_narrows_every_figure(history, specialty):
    haematology = ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 20), specialty_id=specialty.pk)
    figures = queries.turnaround(haematology)
    assert figures["approvals"] == 2
    assert figures["median_seconds"] / H == pytest.approx(12.5)  # A 5h, B 20h
    assert {row["model"] for row in queries.quality(haematology)} == {"medrafter 1.0"}
    assert queries.throughput(haematology)[1]["submissions"] == 4  # A, B twice, E


def test_reviewer_and_model_filters_select_their_answers(history):
    by_daniel = ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 20), reviewer_id=history["daniel"].pk)
    assert queries.turnaround(by_daniel)["median_seconds"] / H == pytest.approx(11.0)
    writer = ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 1, 20), model=("guideline-writer", "2.3"))
    assert queries.turnaround(writer)["approvals"] == 1
    assert [(r["decision"], r["reason"]) for r in queries.top_reasons(writer)] == [("Rejected", REJECT_REASON)]


def test_date_range_leaves_out_what_happened_outside_it(history):
    later = ReportFilter(date_from=date(2026, 1, 7), date_to=date(2026, 1, 20))
    assert queries.turnaround(later)["approvals"] == 0
    # Stays that began on or after 7 January: D approved (6 Jan) -> no; only the retraction-free remainder.
    assert queries.time_in_state(later) == []
    assert sum(row["retractions"] for row in queries.throughput(later)) == 1
