"""The page where a signed-in user chooses which notifications they receive."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from editorial.models import NotificationKind, NotificationPreference


class PreferencesForm(forms.Form):
    """One checkbox per kind; unchecked means the user opted out."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        off = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=kind not in off)

    def save(self, *, user) -> None:
        with transaction.atomic():
            for kind in NotificationKind.values:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"enabled": self.cleaned_data[kind]}
                )


@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save(user=request.user)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notification_preferences")
    return render(request, "editorial/preferences.html", {"form": form, "title": "Notification preferences"})
