"""The public reviewer profiles (`answers.ReviewerProfile`), registered here
rather than in `answers` so that every save goes through the audited service
(`editorial.review.profiles`), which `answers` may not import.

The profile's declared interests (`answers.DeclaredInterest`) are an inline; the
profile, its specialties and its declarations are saved by one service call
(one audit event), and a back-dated declaration is refused on its row, naming
the review it would cover.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join

from answers.models import DeclaredInterest, ReviewerProfile
from editorial.review import profiles

# The inline's fields that set a declaration's name or period: what the back-dating rule checks.
PERIOD_FIELDS = {"kind", "name", "start", "end"}


class DeclaredInterestFormSet(forms.BaseInlineFormSet):
    """Each declaration checked as the service will check it, the error on its own row."""

    def declarations(self) -> list[profiles.Declaration]:
        """The declarations the editor wants (deleted rows and untouched blank rows left out)."""
        wanted = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            wanted.append(
                profiles.Declaration(
                    kind=data["kind"],
                    name=data["name"],
                    start=data["start"],
                    end=data.get("end"),
                    statement=data["statement"],
                    pk=form.instance.pk,
                )
            )
        return wanted

    def clean(self):
        super().clean()
        user = self.instance.user if self.instance.user_id else None
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.errors:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            declaration = profiles.Declaration(
                kind=data["kind"], name=data["name"], start=data["start"], end=data.get("end"),
                statement=data["statement"], pk=form.instance.pk,
            )  # fmt: skip
            for problem in profiles.declaration_problems(declaration):
                form.add_error(None, problem)
            if form.instance.pk is not None and not PERIOD_FIELDS & set(form.changed_data):
                continue
            if not form.errors and (why := profiles.backdating_refusal(user, declaration)):
                form.add_error("start", why)


class DeclaredInterestInline(admin.TabularInline):
    model = DeclaredInterest
    formset = DeclaredInterestFormSet
    fields = ["kind", "name", "start", "end", "statement"]
    extra = 1
    verbose_name = "declared interest"
    verbose_name_plural = "Declared interests (companies and drugs; shown publicly, audited)"

    # Declarations are part of the profile: whoever may change profiles edits them (no permissions of their own).
    def _profile_permission(self, request, action: str) -> bool:
        return request.user.has_perm(f"answers.{action}_reviewerprofile")

    def has_view_permission(self, request, obj=None):
        return self._profile_permission(request, "view") or self._profile_permission(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._profile_permission(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._profile_permission(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._profile_permission(request, "change")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "statement":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
            kwargs.setdefault("max_length", profiles.STATEMENT_MAX)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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
    inlines = [DeclaredInterestInline]

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
            what = "; ".join(f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in changes.items())
            verb = "created" if event.data.get("created") else "deleted" if event.data.get("deleted") else "changed"
            lines.append((f"{event.created_at:%Y-%m-%d %H:%M}", event.actor_label or "system", verb, what))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {} {}: {}</li>", lines))

    # Every write goes through the audited service; its refusals become the form's errors.
    # The profile, its specialties and its declarations are one call, made once the inline is
    # read (save_related): save_model only waits for it.

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        declarations = None
        for formset in formsets:
            if isinstance(formset, DeclaredInterestFormSet):
                declarations = formset.declarations()
                # The audit trail records the declarations; the admin's own log message reads these.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        profiles.reviewer_profile_save(
            acting_user=request.user,
            profile=form.instance,
            specialties=form.cleaned_data.get("specialties"),
            declarations=declarations,
        )

    def delete_model(self, request, obj):
        profiles.reviewer_profile_delete(acting_user=request.user, profile=obj)

    def delete_queryset(self, request, queryset):
        for profile in queryset:
            profiles.reviewer_profile_delete(acting_user=request.user, profile=profile)


def _shown(value) -> str:
    """A value of the audit trail as the history lists it: a list (specialties, declarations) as its items."""
    if isinstance(value, list):
        return "[" + "; ".join(str(item) for item in value) + "]" if value else "[]"
    return repr(value)
