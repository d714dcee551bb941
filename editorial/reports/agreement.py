"""Agreement between the two reviews of high-risk revisions (issue 15): Cohen's kappa on citation verdicts.

An **item** is one citation of a double-reviewed revision: the first review's verdict on it
(`CitationVerdict`) beside the second reviewer's (`SecondVerdict`). Counted when

- the second reviewer's review is complete (they recorded a verdict on every citation of the
  revision: from then on their verdicts are final; a second review abandoned half-way, or still
  blind, is not counted);
- the first review gave it a verdict and it was not waived (a waived citation is never compared,
  as in `editorial.review.double`);
- the second review was completed (its last verdict recorded) within the date range.

The categories are the `Verdict` values. Overall, per specialty and per drafting model, rater A is
the first review and rater B the second; per reviewer pair, rater A is one member and B the other,
whichever reviewed first (kappa does not change when the raters swap). A pair's kappa shows only from
`MIN_PAIR_ITEMS` shared items up ("too few" below). Disagreements: items whose verdicts differ, and
how the adjudication settled each (the final verdict sided with the first reviewer, the second, or
neither; or not yet adjudicated).

Two queries whatever the number of revisions: the items grouped by reviewers, specialty, model and
verdicts (with their adjudication), then the reviewers' names.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q

from answers.models import Citation
from editorial.models import SecondVerdict
from editorial.reports.kappa import Agreement, cohen_kappa
from editorial.reports.queries import ReportFilter, model_label

# A reviewer pair's kappa is shown from this many shared items up: on fewer, one citation
# more or less swings it too far to read anything into it.
MIN_PAIR_ITEMS = 10
TOO_FEW = "too few"
UNDEFINED = "undefined"  # p_e == 1: both reviewers used one and the same verdict throughout


def _items(f: ReportFilter):
    """The items (see the module) as a queryset of second verdicts, filtered as the report asks."""
    own = SecondVerdict.objects.filter(revision_id=OuterRef("revision_id"), reviewer_id=OuterRef("reviewer_id"))
    unchecked = Citation.objects.filter(revision_id=OuterRef("revision_id")).exclude(
        Exists(SecondVerdict.objects.filter(citation_id=OuterRef("pk"), reviewer_id=OuterRef(OuterRef("reviewer_id"))))
    )
    items = SecondVerdict.objects.filter(~Exists(unchecked)).order_by()
    # The review was completed when its last verdict was recorded: that moment falls in the range.
    if f.start is not None:
        items = items.filter(Exists(own.filter(decided_at__gte=f.start)))
    if f.end is not None:
        items = items.filter(~Exists(own.filter(decided_at__gte=f.end)))
    items = items.filter(citation__verdict__waived_at__isnull=True).exclude(citation__verdict__verdict="")
    items = items.exclude(citation__verdict__reviewer_id=F("reviewer_id")).exclude(
        citation__verdict__reviewer_id__isnull=True
    )
    if f.specialty_id:
        items = items.filter(answer__question__specialty_id=f.specialty_id)
    if f.reviewer_id:
        items = items.filter(Q(reviewer_id=f.reviewer_id) | Q(citation__verdict__reviewer_id=f.reviewer_id))
    if f.model:
        items = items.filter(revision__model_name=f.model[0], revision__model_version=f.model[1])
    return items


def _kappa_shown(agreement: Agreement, minimum: int = 1):
    """The kappa figure, or why there is none: no items (None, shown "–"), too few, undefined."""
    if agreement.items == 0:
        return None
    if agreement.items < minimum:
        return TOO_FEW
    return UNDEFINED if agreement.kappa is None else agreement.kappa


def _row(agreement: Agreement, minimum: int = 1) -> dict:
    """A table row; below `minimum` items only the counts show (no agreement figure at all)."""
    enough = agreement.items >= minimum
    return {
        "items": agreement.items,
        "agreed": agreement.agreed,
        "disagreements": agreement.disagreed,
        "observed": agreement.observed if enough else None,
        "expected": agreement.expected if enough else None,
        "kappa": _kappa_shown(agreement, minimum),
    }


def agreement(f: ReportFilter) -> dict:
    """Kappa overall, per reviewer pair, per specialty and per model; disagreements and their adjudication."""
    rows = list(
        _items(f)
        .values(
            first_id=F("citation__verdict__reviewer_id"),
            second_id=F("reviewer_id"),
            specialty=F("answer__question__specialty__name"),
            model_name=F("revision__model_name"),
            model_version=F("revision__model_version"),
            first=F("citation__verdict__verdict"),
            second=F("verdict"),
            final=F("citation__adjudication__verdict"),
        )
        .annotate(n=Count("pk"))
    )
    overall: dict = defaultdict(int)
    pairs: dict = defaultdict(lambda: defaultdict(int))
    specialties: dict = defaultdict(lambda: defaultdict(int))
    models: dict = defaultdict(lambda: defaultdict(int))
    settled = {"sided_first": 0, "sided_second": 0, "sided_neither": 0, "awaiting": 0}
    for row in rows:
        n, first, second = row["n"], row["first"], row["second"]
        overall[first, second] += n
        a, b = sorted((row["first_id"], row["second_id"]))
        pairs[a, b][(first, second) if a == row["first_id"] else (second, first)] += n
        specialties[row["specialty"]][first, second] += n
        models[row["model_name"], row["model_version"]][first, second] += n
        if first != second:
            final = row["final"]
            key = (
                "awaiting"
                if final is None
                else "sided_first"
                if final == first
                else "sided_second"
                if final == second
                else "sided_neither"
            )
            settled[key] += n

    whole = cohen_kappa(overall)
    disagreements = whole.disagreed
    summary = {
        **_row(whole),
        "disagreement_share": disagreements / whole.items if whole.items else None,
        **settled,
        **{f"{key}_share": (count / disagreements if disagreements else None) for key, count in settled.items()},
    }

    names = {}
    if pairs:
        ids = {member for pair in pairs for member in pair}
        for user in (
            get_user_model().objects.filter(pk__in=ids).values("pk", "username", "reviewer_profile__display_name")
        ):
            names[user["pk"]] = user["reviewer_profile__display_name"] or user["username"]
    pair_rows = [
        {"member_a": names.get(a, str(a)), "member_b": names.get(b, str(b)), **_row(cohen_kappa(t), MIN_PAIR_ITEMS)}
        for (a, b), t in pairs.items()
    ]
    pair_rows.sort(key=lambda row: (-row["items"], row["member_a"], row["member_b"]))
    return {
        "summary": [summary],
        "pairs": pair_rows,
        "specialties": [{"specialty": name, **_row(cohen_kappa(t))} for name, t in sorted(specialties.items())],
        "models": [
            {"model": model_label(name or "", version or ""), **_row(cohen_kappa(t))}
            for (name, version), t in sorted(models.items())
        ],
    }
