"""The report tables: which figures each holds, their columns and units.

The pages, the CSV exports and `manage.py editorial_report` all read these,
so a figure is computed and formatted in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from editorial.reports import queries
from editorial.reports.queries import ReportFilter

HOUR = 3600.0


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "int"  # int, text, date, hours (from seconds), percent (from a share), number


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    source: Callable  # queries function, called once per request whatever the tables reading it
    pick: Callable = lambda data: data  # noqa: E731

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def cell(value, kind: str):
    """A figure as the CSV, the JSON and the page table show it."""
    if value is None:
        return None
    if kind == "hours":
        return round(value / HOUR, 2)
    if kind == "percent":
        return round(value * 100, 1)
    if kind == "number":
        return round(value, 2)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else value
    return value


TABLES = {
    table.name: table
    for table in [
        Table(
            "backlog",
            "Backlog by state",
            (
                Column("label", "State", "text"),
                Column("count", "Answers"),
                Column("oldest_age_seconds", "Oldest item age (hours)", "hours"),
                Column("past_sla", "Past SLA"),
                Column("past_review_due", "Past next review due"),
            ),
            queries.backlog,
        ),
        Table(
            "throughput",
            "Throughput per week",
            (
                Column("week", "Week starting", "date"),
                Column("submissions", "Submissions"),
                Column("approvals", "Approvals"),
                Column("changes_requested", "Changes requested"),
                Column("rejections", "Rejections"),
                Column("retractions", "Retractions"),
            ),
            queries.throughput,
        ),
        Table(
            "turnaround",
            "Submission to approval",
            (
                Column("approvals", "Approvals"),
                Column("median_seconds", "Median (hours)", "hours"),
                Column("p90_seconds", "90th percentile (hours)", "hours"),
            ),
            queries.turnaround_figures,
            lambda data: [data["turnaround"]],
        ),
        Table(
            "turnaround_weekly",
            "Submission to approval, by week of approval",
            (
                Column("week", "Week starting", "date"),
                Column("approvals", "Approvals"),
                Column("median_seconds", "Median (hours)", "hours"),
                Column("p90_seconds", "90th percentile (hours)", "hours"),
            ),
            queries.turnaround_figures,
            lambda data: data["turnaround"]["weekly"],
        ),
        Table(
            "time_in_state",
            "Time spent in each state",
            (
                Column("label", "State", "text"),
                Column("stays", "Stays"),
                Column("mean_seconds", "Mean (hours)", "hours"),
                Column("median_seconds", "Median (hours)", "hours"),
                Column("p90_seconds", "90th percentile (hours)", "hours"),
            ),
            queries.turnaround_figures,
            lambda data: data["time_in_state"],
        ),
        Table(
            "reviewers",
            "Reviewers",
            (
                Column("reviewer", "Board member", "text"),
                Column("open_assignments", "Open assignments"),
                Column("approvals", "Approvals"),
                Column("changes_requested", "Changes requested"),
                Column("rejections", "Rejections"),
                Column("retractions", "Retractions"),
                Column("median_review_seconds", "Median review time (hours)", "hours"),
                Column("re_reviews", "Re-reviews done"),
            ),
            queries.reviewers,
        ),
        Table(
            "quality",
            "Draft quality by drafting model",
            (
                Column("model", "Drafting model", "text"),
                Column("first_pass_decisions", "First-pass decisions"),
                Column("first_pass_approval_rate", "First-pass approval rate (%)", "percent"),
                Column("approvals", "Approvals"),
                Column("mean_rounds_before_approval", "Rounds of changes before approval", "number"),
                Column("citations_checked", "Citations checked"),
                Column("unverifiable_share", "Could not verify (%)", "percent"),
                Column("unsupported_share", "Does not support the claim (%)", "percent"),
            ),
            queries.quality,
        ),
        Table(
            "reasons",
            "Most frequent reasons for changes and rejection, per model",
            (
                Column("model", "Drafting model", "text"),
                Column("decision", "Decision", "text"),
                Column("reason", "Reason", "text"),
                Column("count", "Times given"),
            ),
            queries.top_reasons,
        ),
    ]
}

PAGES = {
    "backlog": ("Backlog", ["backlog"]),
    "throughput": ("Throughput", ["throughput"]),
    "turnaround": ("Turnaround", ["turnaround", "turnaround_weekly", "time_in_state"]),
    "reviewers": ("Reviewers", ["reviewers"]),
    "quality": ("Draft quality", ["quality", "reasons"]),
}


def build(names: list[str], f: ReportFilter) -> dict[str, list[dict]]:
    """Raw rows of the named tables; each query runs once even when two tables share it."""
    computed: dict = {}
    result = {}
    for name in names:
        table = TABLES[name]
        if table.source not in computed:
            computed[table.source] = table.source(f)
        result[name] = table.pick(computed[table.source])
    return result


def formatted(name: str, rows: list[dict]) -> list[list]:
    table = TABLES[name]
    return [[cell(row.get(c.key), c.kind) for c in table.columns] for row in rows]
