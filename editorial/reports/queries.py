"""The report figures, computed by the database from the audit trail and the verdicts.

Every figure is one aggregate query (or one windowed query) whatever the size
of the trail: Python only reshapes the few result rows. Durations come back in
seconds.
Percentiles and the SQL the two databases differ on live in `sql.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from answers import clock
from answers.models import Answer, Revision, Status
from editorial.models import AuditAction, AuditEvent, CitationVerdict, Verdict
from editorial.reports import sql

SUBMIT = AuditAction.SUBMIT
START_REVIEW = AuditAction.START_REVIEW
APPROVE = AuditAction.APPROVE
REQUEST_CHANGES = AuditAction.REQUEST_CHANGES
REJECT = AuditAction.REJECT
RETRACT = AuditAction.RETRACT
REAFFIRM = AuditAction.REAFFIRM

# Actions that move an answer from one state to another, in the order people read them.
STATE_ACTIONS = (SUBMIT, START_REVIEW, APPROVE, REQUEST_CHANGES, REJECT, RETRACT)
# A board member's decision on the revision under review.
DECISIONS = (APPROVE, REQUEST_CHANGES, REJECT)
THROUGHPUT_ACTIONS = {
    SUBMIT: "submissions",
    APPROVE: "approvals",
    REQUEST_CHANGES: "changes_requested",
    REJECT: "rejections",
    RETRACT: "retractions",
}
REVIEWER_ACTIONS = {
    APPROVE: "approvals",
    REQUEST_CHANGES: "changes_requested",
    REJECT: "rejections",
    RETRACT: "retractions",
    REAFFIRM: "re_reviews",
}


@dataclass(frozen=True)
class ReportFilter:
    """What every report page, export and command narrows by. Dates are inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    specialty_id: int | None = None
    reviewer_id: int | None = None
    model: tuple[str, str] | None = None  # (model_name, model_version)

    @property
    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime | None:
        """Exclusive upper bound: midnight after `date_to`."""
        if self.date_to is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def has_answer_filter(self) -> bool:
        return bool(self.specialty_id or self.reviewer_id or self.model)


def model_label(name: str, version: str) -> str:
    return f"{name} {version}".strip() or "Human editor"


# -- shared filters -------------------------------------------------------------


def filtered_answers(f: ReportFilter):
    """Answers matching the specialty, reviewer and drafting-model filters."""
    answers = Answer.objects.all()
    if f.specialty_id:
        answers = answers.filter(question__specialty_id=f.specialty_id)
    if f.reviewer_id:
        reviewed = AuditEvent.objects.filter(action=START_REVIEW, actor_id=f.reviewer_id).values("answer_id")
        answers = answers.filter(Q(reviewer_id=f.reviewer_id) | Q(pk__in=reviewed))
    if f.model:
        name, version = f.model
        answers = answers.filter(
            Exists(Revision.objects.filter(answer=OuterRef("pk"), model_name=name, model_version=version))
        )
    return answers


def _in_range(queryset, f: ReportFilter, field: str = "created_at"):
    if f.start is not None:
        queryset = queryset.filter(**{f"{field}__gte": f.start})
    if f.end is not None:
        queryset = queryset.filter(**{f"{field}__lt": f.end})
    return queryset


def _events(f: ReportFilter, actions):
    events = AuditEvent.objects.filter(action__in=actions).order_by()
    if f.has_answer_filter():
        events = events.filter(answer_id__in=filtered_answers(f).values("pk"))
    return events


def _range_q(f: ReportFilter) -> Q:
    q = Q()
    if f.start is not None:
        q &= Q(created_at__gte=f.start)
    if f.end is not None:
        q &= Q(created_at__lt=f.end)
    return q


def _as_date(value) -> date | None:
    """A week start as the database returned it (datetime, date or SQLite text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def week_starts(f: ReportFilter, seen) -> list[date]:
    """Every Monday from the range start (or first week seen) to its end, so empty weeks show as zero."""
    seen = sorted(seen)
    first = f.date_from or (seen[0] if seen else None)
    last = f.date_to or (seen[-1] if seen else None)
    if first is None or last is None:
        return []
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _covers_all_history(f: ReportFilter) -> bool:
    """Whether the date range holds every state change (then no answer needs leaving out)."""
    if f.start is None and f.end is None:
        return True
    bounds = AuditEvent.objects.filter(action__in=STATE_ACTIONS).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if bounds["first"] is None:
        return True
    return (f.start is None or f.start <= bounds["first"]) and (f.end is None or f.end > bounds["last"])


def _transitions_cte(f: ReportFilter, actions=STATE_ACTIONS) -> tuple[str, list]:
    """The state changes of the filtered answers, each with its neighbours and review cycle.

    Columns of `c`: id, answer_id, action, actor_id, to_state, created_at,
    revision_id, in_range (1 when the event falls in the date range),
    prev_at / next_at (the answer's previous / next state change),
    cycle_start and cycle_revision_id (time and revision of the submission
    that opened the review cycle).

    A submission opens a cycle unless it answers a request for changes, so
    one window pass over each answer's events, in id order, finds the cycle.
    Windows need an answer's whole history, so the date range only narrows
    which answers are read (those with a state change in the range).
    `actions` reads only the kinds of event a figure needs: prev_at and
    next_at then mean the previous / next event among those.
    """
    events = _events(f, actions).filter(answer_id__isnull=False)
    in_range = Value(1, output_field=IntegerField())
    if not _covers_all_history(f):
        touched = _in_range(AuditEvent.objects.filter(action__in=STATE_ACTIONS), f).values("answer_id")
        events = events.filter(answer_id__in=touched)
        in_range = Case(When(_range_q(f), then=Value(1)), default=Value(0), output_field=IntegerField())
    events = events.annotate(in_range=in_range)
    inner_sql, inner_params = events.values(
        "id",
        "answer_id",
        "action",
        "actor_id",
        "from_state",
        "to_state",
        "created_at",
        "revision_id",
        "in_range",
    ).query.sql_with_params()
    opening = "action = %s AND from_state <> %s"
    sql = f"""
        WITH e AS ({inner_sql}),
        c AS (
            SELECT e.*,
                LAG(created_at) OVER w AS prev_at,
                LEAD(created_at) OVER w AS next_at,
                MAX(CASE WHEN {opening} THEN created_at END) OVER w AS cycle_start,
                MAX(CASE WHEN {opening} THEN revision_id END) OVER w AS cycle_revision_id
            FROM e
            WINDOW w AS (PARTITION BY answer_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
    """
    return sql, [*inner_params, SUBMIT, Status.CHANGES_REQUESTED, SUBMIT, Status.CHANGES_REQUESTED]


# -- Backlog --------------------------------------------------------------------

SLA = {
    Status.SUBMITTED: "REVIEW_SLA_SUBMITTED",
    Status.UNDER_REVIEW: "REVIEW_SLA_UNDER_REVIEW",
}


@sql.analytic
def backlog(f: ReportFilter) -> list[dict]:
    """Answers by state now: count, the oldest item's age, items past SLA, items past re-review.

    The date range selects answers by when they entered their current state.
    """
    now = clock.now()
    past_sla = Q()
    for status, setting in SLA.items():
        past_sla |= Q(status=status, status_changed_at__lt=now - getattr(settings, setting))
    answers = _in_range(filtered_answers(f), f, "status_changed_at")
    rows = answers.values("status").annotate(
        count=Count("pk"),
        oldest=Min("status_changed_at"),
        past_sla=Count("pk", filter=past_sla),
        past_review_due=Count("pk", filter=Q(status=Status.APPROVED, next_review_due__lt=clock.today())),
    )
    by_status = {row["status"]: row for row in rows.order_by()}
    table = []
    for status, label in Status.choices:
        row = by_status.get(status, {})
        oldest = row.get("oldest")
        table.append(
            {
                "state": status,
                "label": label,
                "count": row.get("count", 0),
                "oldest_age_seconds": (now - oldest).total_seconds() if oldest else None,
                "past_sla": row.get("past_sla", 0) if status in SLA else None,
                "past_review_due": row.get("past_review_due", 0) if status == Status.APPROVED else None,
            }
        )
    return table


# -- Throughput -----------------------------------------------------------------


@sql.analytic
def throughput(f: ReportFilter) -> list[dict]:
    """Submissions, approvals, changes requested, rejections and retractions per week."""
    rows = (
        _in_range(_events(f, list(THROUGHPUT_ACTIONS)), f)
        .annotate(week=TruncWeek("created_at"))
        .values("week", "action")
        .annotate(n=Count("id"))
    )
    counts: dict[date, dict] = {}
    for row in rows:
        week = _as_date(row["week"])
        counts.setdefault(week, {})[THROUGHPUT_ACTIONS[row["action"]]] = row["n"]
    return [
        {"week": week, **{name: counts.get(week, {}).get(name, 0) for name in THROUGHPUT_ACTIONS.values()}}
        for week in week_starts(f, counts)
    ]


# -- Turnaround -----------------------------------------------------------------


@sql.analytic
def turnaround_figures(f: ReportFilter) -> dict:
    """Submission to approval (overall and per week) and time in each state: two statements.

    Turnaround reads only submissions and approvals (enough to find where
    each cycle opened); time in state reads every state change.
    """
    cte, params = _transitions_cte(f, (SUBMIT, APPROVE))
    approval = sql.seconds("created_at", "cycle_start")
    # The week of approval, computed for approvals only (not for every state change).
    week, week_params = connection.ops.datetime_trunc_sql(
        "week", "created_at", (), timezone.get_current_timezone_name()
    )
    rows = sql.fetch(
        f"""{cte},
        a AS (SELECT created_at, {approval} AS took FROM c WHERE action = %s AND in_range = 1)
        SELECT 'all' AS kind, CAST(NULL AS text) AS grp, COUNT(*) AS n, {sql.median_p90("took")} AS pcts FROM a
        UNION ALL
        SELECT 'week', CAST({week} AS text), COUNT(*), {sql.median_p90("took")} FROM a GROUP BY 2""",
        [*params, APPROVE, *week_params],
    )
    cte, params = _transitions_cte(f)
    stay = sql.seconds("next_at", "created_at")
    rows += sql.fetch(
        f"""{cte}
        SELECT 'state' AS kind, to_state AS grp, COUNT(*) AS n, SUM({stay}) AS total, {sql.median_p90(stay)} AS pcts
        FROM c WHERE next_at IS NOT NULL AND in_range = 1 GROUP BY to_state""",
        params,
    )
    for row in rows:
        row["median"], row["p90"] = sql.pair(row.pop("pcts"))
    overall = next(row for row in rows if row["kind"] == "all")
    by_week = {_as_date(row["grp"]): row for row in rows if row["kind"] == "week"}
    by_state = {row["grp"]: row for row in rows if row["kind"] == "state"}
    return {
        "turnaround": {
            "approvals": overall["n"],
            "median_seconds": overall["median"],
            "p90_seconds": overall["p90"],
            "weekly": [
                {
                    "week": week,
                    "approvals": by_week.get(week, {}).get("n", 0),
                    "median_seconds": by_week.get(week, {}).get("median"),
                    "p90_seconds": by_week.get(week, {}).get("p90"),
                }
                for week in week_starts(f, by_week)
            ],
        },
        "time_in_state": [
            {
                "state": status,
                "label": label,
                "stays": by_state[status]["n"],
                "mean_seconds": by_state[status]["total"] / by_state[status]["n"],
                "median_seconds": by_state[status]["median"],
                "p90_seconds": by_state[status]["p90"],
            }
            for status, label in Status.choices
            if status in by_state
        ],
    }


def turnaround(f: ReportFilter) -> dict:
    """Submission to approval: overall and per week of approval (median, 90th percentile).

    The clock starts at the submission that opened the review cycle, so a
    round of changes counts towards the time the approval took.
    """
    return turnaround_figures(f)["turnaround"]


def time_in_state(f: ReportFilter) -> list[dict]:
    """How long answers stay in each state: every finished stay that began in the range.

    A round trip through changes requested gives the answer two stays in
    "submitted" and two in "under review"; each counts.
    """
    return turnaround_figures(f)["time_in_state"]


# -- Reviewers ------------------------------------------------------------------


@sql.analytic
def reviewers(f: ReportFilter) -> list[dict]:
    """Per board member: open assignments, decisions by kind, median review time, re-reviews."""
    from django.contrib.auth import get_user_model

    from editorial.access.roles import BOARD

    board = get_user_model().objects.filter(groups__name=BOARD).order_by("username")
    if f.reviewer_id:
        board = board.filter(pk=f.reviewer_id)
    board = list(board.values("pk", "username", "reviewer_profile__display_name"))
    ids = [member["pk"] for member in board]

    open_rows = (
        filtered_answers(f)
        .filter(reviewer_id__in=ids, status__in=[Status.SUBMITTED, Status.UNDER_REVIEW])
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_by = {row["reviewer_id"]: row["n"] for row in open_rows}

    # Decisions by kind and review time (starting the review, the event before
    # a decision, to the decision) in one pass; re-reviews change no state.
    cte, params = _transitions_cte(f, (START_REVIEW, APPROVE, REQUEST_CHANGES, REJECT, RETRACT))
    duration = sql.seconds("created_at", "prev_at")
    counted = [action for action in REVIEWER_ACTIONS if action != REAFFIRM]
    sums = ", ".join(
        f"SUM(CASE WHEN action = %s THEN 1 ELSE 0 END) AS {REVIEWER_ACTIONS[action]}" for action in counted
    )
    decision_marks = ", ".join(["%s"] * len(DECISIONS))
    rows = sql.fetch(
        f"""{cte}
        SELECT actor_id, {sums},
            {sql.pct(f"CASE WHEN action IN ({decision_marks}) THEN {duration} END", 0.5)} AS median
        FROM c WHERE action IN ({", ".join(["%s"] * len(counted))}) AND in_range = 1 GROUP BY actor_id""",
        [*params, *counted, *DECISIONS, *counted],
    )
    decisions = {row["actor_id"]: row for row in rows}
    re_reviews = dict(
        _in_range(_events(f, [REAFFIRM]), f)
        .filter(actor_id__in=ids)
        .values("actor_id")
        .annotate(n=Count("id"))
        .values_list("actor_id", "n")
    )

    table = []
    for member in board:
        pk = member["pk"]
        kinds = decisions.get(pk, {})
        table.append(
            {
                "reviewer_id": pk,
                "reviewer": member["reviewer_profile__display_name"] or member["username"],
                "username": member["username"],
                "open_assignments": open_by.get(pk, 0),
                **{name: int(kinds.get(name) or 0) for name in REVIEWER_ACTIONS.values() if name != "re_reviews"},
                "median_review_seconds": kinds.get("median"),
                "re_reviews": re_reviews.get(pk, 0),
            }
        )
    return table


# -- Draft quality --------------------------------------------------------------


@sql.analytic
def quality(f: ReportFilter) -> list[dict]:
    """Per drafting model and version: first-pass approvals, rounds, citation verdict shares.

    - First pass: decisions on the revision that opened a review cycle; the
      rate is the share of them that approved it.
    - Rounds of changes before approval: revisions submitted after the
      opening one in the cycle an approval closed (one per request for
      changes), averaged over approvals of that model's revisions.
    - Citation shares: of the citations given a verdict in the range, those
      marked "could not verify" and "does not support the claim".
    """
    cte, params = _transitions_cte(f, (SUBMIT, *DECISIONS))
    marks = ", ".join(["%s"] * len(DECISIONS))
    model_q = ""
    model_params: list = []
    if f.model:
        model_q = "AND r.model_name = %s AND r.model_version = %s"
        model_params = list(f.model)
    # The range test is in the sums, not in WHERE: PostgreSQL cannot estimate a
    # filter on a window's output (it guesses a few hundred rows) and would then
    # look up both revisions of each decision one by one. Filtering on the
    # action alone, which it has statistics for, gets hash joins. HAVING leaves
    # out a model whose decisions all fall outside the range, as WHERE did.
    decision_rows = sql.fetch(
        f"""{cte}
        SELECT r.model_name, r.model_version,
            SUM(CASE WHEN c.in_range = 1 AND c.revision_id = c.cycle_revision_id THEN 1 ELSE 0 END)
                AS first_pass_decisions,
            SUM(CASE WHEN c.in_range = 1 AND c.revision_id = c.cycle_revision_id AND c.action = %s THEN 1 ELSE 0 END)
                AS first_pass_approvals,
            SUM(CASE WHEN c.in_range = 1 AND c.action = %s THEN 1 ELSE 0 END) AS approvals,
            SUM(CASE WHEN c.in_range = 1 AND c.action = %s THEN r.number - r0.number ELSE 0 END)
                AS rounds_before_approval
        FROM c
        JOIN answers_revision r ON r.id = c.revision_id
        JOIN answers_revision r0 ON r0.id = c.cycle_revision_id
        WHERE c.action IN ({marks}) {model_q}
        GROUP BY r.model_name, r.model_version
        HAVING SUM(c.in_range) > 0""",
        [*params, APPROVE, APPROVE, APPROVE, *DECISIONS, *model_params],
    )

    # A verdict carries its citation's revision, so no join through citations.
    verdicts = CitationVerdict.objects.exclude(verdict="").order_by()
    verdicts = _in_range(verdicts, f, "decided_at")
    if f.has_answer_filter():
        verdicts = verdicts.filter(answer_id__in=filtered_answers(f).values("pk"))
    if f.model:
        verdicts = verdicts.filter(revision__model_name=f.model[0], revision__model_version=f.model[1])
    verdict_rows = verdicts.values("revision__model_name", "revision__model_version").annotate(
        checked=Count("pk"),
        unverifiable=Count("pk", filter=Q(verdict=Verdict.UNVERIFIABLE)),
        unsupported=Count("pk", filter=Q(verdict=Verdict.UNSUPPORTED)),
    )

    models: dict[tuple[str, str], dict] = {}

    def slot(name, version):
        return models.setdefault(
            (name, version),
            {
                "model_name": name,
                "model_version": version,
                "model": model_label(name, version),
                "first_pass_decisions": 0,
                "first_pass_approvals": 0,
                "approvals": 0,
                "rounds_before_approval": 0,
                "citations_checked": 0,
                "unverifiable": 0,
                "unsupported": 0,
            },
        )

    for row in decision_rows:
        target = slot(row["model_name"], row["model_version"])
        for key in ("first_pass_decisions", "first_pass_approvals", "approvals", "rounds_before_approval"):
            target[key] = int(row[key] or 0)
    for row in verdict_rows:
        target = slot(row["revision__model_name"], row["revision__model_version"])
        target["citations_checked"] = row["checked"]
        target["unverifiable"] = row["unverifiable"]
        target["unsupported"] = row["unsupported"]

    table = []
    for key in sorted(models):
        row = models[key]
        row["first_pass_approval_rate"] = _share(row["first_pass_approvals"], row["first_pass_decisions"])
        row["mean_rounds_before_approval"] = (
            row["rounds_before_approval"] / row["approvals"] if row["approvals"] else None
        )
        row["unverifiable_share"] = _share(row["unverifiable"], row["citations_checked"])
        row["unsupported_share"] = _share(row["unsupported"], row["citations_checked"])
        table.append(row)
    return table


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@sql.analytic
def top_reasons(f: ReportFilter, *, limit: int = 5) -> list[dict]:
    """The most frequent reasons for requesting changes and for rejecting, per drafting model.

    One grouped query; a window ranks the reasons within each model and
    decision, and only the top `limit` of each are kept.
    """
    events = _in_range(_events(f, [REQUEST_CHANGES, REJECT]), f)
    if f.model:
        events = events.filter(revision__model_name=f.model[0], revision__model_version=f.model[1])
    group = [F("revision__model_name"), F("revision__model_version"), F("action")]
    rows = (
        events.values("revision__model_name", "revision__model_version", "action", "reason")
        .annotate(n=Count("id"))
        .annotate(rank=Window(RowNumber(), partition_by=group, order_by=[F("n").desc(), F("reason").asc()]))
        .filter(rank__lte=limit)
    )
    labels = {REQUEST_CHANGES: "Changes requested", REJECT: "Rejected"}
    table = [
        {
            "model": model_label(row["revision__model_name"] or "", row["revision__model_version"] or ""),
            "decision": labels[row["action"]],
            "reason": row["reason"],
            "count": row["n"],
            "rank": row["rank"],
        }
        for row in rows
    ]
    table.sort(key=lambda row: (row["model"], row["decision"], row["rank"]))
    return table


def drafting_models() -> list[tuple[str, str]]:
    """The (name, version) pairs that drafted something, for the filter."""
    rows = (
        Revision.objects.exclude(model_name="")
        .order_by("model_name", "model_version")
        .values_list("model_name", "model_version")
        .distinct()
    )
    return list(rows)
