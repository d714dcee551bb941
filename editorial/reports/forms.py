"""The filter every report page shares: date range, specialty, reviewer, drafting model."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator

from answers import clock
from answers.models import Specialty
from editorial.access.roles import BOARD
from editorial.reports.queries import ReportFilter, drafting_models, model_label

DEFAULT_WEEKS = 12
# Reports cover dates in this range: beyond it there is nothing to count, and
# the week arithmetic overflows at the ends of the calendar (year 1, year 9999).
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
# One page covers at most this long: a page lists every week of its range
# (ten years render in under a second; a century took fifteen).
MAX_SPAN_YEARS = 10
MAX_SPAN = timedelta(days=366 * MAX_SPAN_YEARS)
_IN_RANGE = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
_DATE_INPUT = forms.DateInput(attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()})


def _model_value(name: str, version: str) -> str:
    return f"{name}|{version}"


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", validators=_IN_RANGE, widget=_DATE_INPUT)
    date_to = forms.DateField(required=False, label="To", validators=_IN_RANGE, widget=_DATE_INPUT)
    specialty = forms.ModelChoiceField(
        Specialty.objects.all(), required=False, to_field_name="slug", empty_label="All specialties"
    )
    reviewer = forms.ModelChoiceField(get_user_model().objects.none(), required=False, empty_label="All board members")
    model = forms.ChoiceField(required=False, label="Drafting model")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = get_user_model().objects.filter(groups__name=BOARD).order_by("username")
        self.fields["model"].choices = [("", "All drafting models")] + [
            (_model_value(name, version), model_label(name, version)) for name, version in drafting_models()
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        elif start or end:
            # An open end runs to the data's first or last week: today stands in for it.
            today = clock.today()
            low, high = start or min(end, today), end or max(start, today)
            if high - low > MAX_SPAN:
                self.add_error(
                    "date_to" if end else "date_from",
                    f"A report covers at most {MAX_SPAN_YEARS} years: choose a shorter range.",
                )
        return data

    def to_filter(self) -> ReportFilter:
        data = self.cleaned_data
        model = data.get("model")
        return ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            specialty_id=data["specialty"].pk if data.get("specialty") else None,
            reviewer_id=data["reviewer"].pk if data.get("reviewer") else None,
            model=tuple(model.split("|", 1)) if model else None,
        )


def form_for(params, *, default_range: bool) -> ReportFilterForm:
    """The filter form bound to the query string; a first visit gets the last 12 weeks on time-based pages."""
    data = params.copy()
    if default_range and "date_from" not in data and "date_to" not in data:
        today = clock.today()
        data["date_from"] = (today - timedelta(weeks=DEFAULT_WEEKS)).isoformat()
        data["date_to"] = today.isoformat()
    return ReportFilterForm(data)
