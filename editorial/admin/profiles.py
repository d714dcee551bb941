"""The public reviewer profiles (`answers.ReviewerProfile`), registered here
rather than in `answers` so that every save goes through the audited service
(`editorial.review.profiles`), which `answers` may not import."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join

from answers.models import ReviewerProfile
from editorial.review import profiles


class ReviewerProfileForm(forms.ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = ["user", "display_name", "credentials", "specialties", "bio", "conflict_of_interest", "slug"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if why := profiles.profile_refusal(user):
            raise forms.ValidationError(why, code="not_board_member")
        return user


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    form = ReviewerProfileForm
    list_display = ["display_name", "credentials", "user"]
    filter_horizontal = ["specialties"]
    prepopulated_fields = {"slug": ["display_name"]}
    readonly_fields = ["audit_history"]

    # The bio and the conflict-of-interest statement are shown publicly; the columns are unbounded.
    TEXT_MAX = 5000

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs.setdefault("max_length", self.TEXT_MAX)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "audit_history"]
        return [*fields, "audit_history"] if obj is not None else fields

    @admin.display(description="Changes (audit trail)")
    def audit_history(self, profile: ReviewerProfile):
        events = profiles.profile_history(profile)
        if not events:
            return "No audited change yet."
        lines = []
        for event in events:
            changes = event.data.get("changes") or {}
            what = "; ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in changes.items())
            verb = "created" if event.data.get("created") else "deleted" if event.data.get("deleted") else "changed"
            lines.append((f"{event.created_at:%Y-%m-%d %H:%M}", event.actor_label or "system", verb, what))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {} {}: {}</li>", lines))

    # Every write goes through the audited service; its refusals become the form's errors.

    def save_model(self, request, obj, form, change):
        profiles.reviewer_profile_save(
            acting_user=request.user, profile=obj, specialties=form.cleaned_data.get("specialties")
        )

    def save_related(self, request, form, formsets, change):
        # The service set the specialties (and audited them) with the profile.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        profiles.reviewer_profile_delete(acting_user=request.user, profile=obj)

    def delete_queryset(self, request, queryset):
        for profile in queryset:
            profiles.reviewer_profile_delete(acting_user=request.user, profile=profile)
