"""The filter every report page shares: date range, specialty, reviewer, drafting model."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model

from answers import clock
from answers.models import Specialty
from editorial.access.roles import BOARD
from editorial.reports.queries import ReportFilter, drafting_models, model_label

DEFAULT_WEEKS = 12


def _model_value(name: str, version: str) -> str:
    return f"{name}|{version}"


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
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
