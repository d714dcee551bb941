"""The report tables: which figures each holds, their columns and units.

The pages, the CSV exports and `manage.py editorial_report` all read these,
so a figure is computed and formatted in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from editorial.reports import agreement, queries
from editorial.reports.queries import ReportFilter

HOUR = 3600.0


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "int"  # int, text, date, hours (from seconds), percent (from a share), number, kappa


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
    if kind == "kappa":  # a figure, or why there is none ("too few", "undefined")
        return value if isinstance(value, str) else round(value, 3)
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
        Table(
            "agreement",
            "Agreement between the two reviews of high-risk revisions",
            (
                Column("items", "Citations reviewed twice"),
                Column("observed", "Observed agreement (%)", "percent"),
                Column("expected", "Chance agreement (%)", "percent"),
                Column("kappa", "Cohen's kappa", "kappa"),
                Column("disagreements", "Disagreements"),
                Column("disagreement_share", "Disagreements (%)", "percent"),
                Column("sided_first", "Adjudicated: with the first reviewer"),
                Column("sided_second", "Adjudicated: with the second reviewer"),
                Column("sided_neither", "Adjudicated: with neither"),
                Column("awaiting", "Not yet adjudicated"),
            ),
            agreement.agreement,
            lambda data: data["summary"],
        ),
        *(
            Table(
                name,
                title,
                (
                    *label_columns,
                    Column("items", "Shared citations" if name == "agreement_pairs" else "Citations reviewed twice"),
                    Column("observed", "Observed agreement (%)", "percent"),
                    Column("kappa", "Cohen's kappa", "kappa"),
                    Column("disagreements", "Disagreements"),
                ),
                agreement.agreement,
                lambda data, key=key: data[key],
            )
            for name, title, key, label_columns in [
                (
                    "agreement_pairs",
                    f"Agreement per reviewer pair (kappa from {agreement.MIN_PAIR_ITEMS} shared citations)",
                    "pairs",
                    (Column("member_a", "Board member", "text"), Column("member_b", "Board member", "text")),
                ),
                (
                    "agreement_specialty",
                    "Agreement per specialty",
                    "specialties",
                    (Column("specialty", "Specialty", "text"),),
                ),
                (
                    "agreement_model",
                    "Agreement per drafting model",
                    "models",
                    (Column("model", "Drafting model", "text"),),
                ),
            ]
        ),
    ]
}

PAGES = {
    "backlog": ("Backlog", ["backlog"]),
    "throughput": ("Throughput", ["throughput"]),
    "turnaround": ("Turnaround", ["turnaround", "turnaround_weekly", "time_in_state"]),
    "reviewers": ("Reviewers", ["reviewers"]),
    "quality": ("Draft quality", ["quality", "reasons"]),
    "agreement": ("Agreement", ["agreement", "agreement_pairs", "agreement_specialty", "agreement_model"]),
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
