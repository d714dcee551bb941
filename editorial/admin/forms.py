"""Forms the review buttons open. They collect input; the services decide."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import pluralize

from answers.models import RiskTier
from editorial.errors import Invalid
from editorial.models import Verdict
from editorial.review import signing
from editorial.review.checks import COMMENT_MAX, NOTE_MAX, QUOTE_MAX
from editorial.review.services import REASON_MAX


class _TransitionForm(forms.Form):
    # The status the reviewer saw; the service refuses if the answer moved on since.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, request=None, answer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.answer = answer

    def service_kwargs(self) -> dict:
        return {}


class ReasonForm(_TransitionForm):
    """Request changes, Reject, Retract: the reason is required and audited."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=REASON_MAX,
        help_text="Recorded in the audit trail and sent to the drafting system.",
    )

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class ApprovalForm(_TransitionForm):
    """Approve and Re-approve: the attestation and the password, like an electronic signature."""

    attest = forms.BooleanField(label=settings.APPROVAL_ATTESTATION, required=True, label_suffix="")
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password again to sign this approval.",
    )

    def clean_password(self) -> str:
        """Checked like a login (django-axes counts and locks), audited when wrong (`editorial.review.signing`)."""
        password = self.cleaned_data["password"]
        if self.user is None or self.request is None:
            raise forms.ValidationError(signing.WRONG_PASSWORD, code="bad_password")
        try:
            signing.signature_check(request=self.request, user=self.user, password=password, answer=self.answer)
        except signing.SigningLocked as locked:
            raise forms.ValidationError(locked.message, code="signing_locked") from None
        except Invalid as wrong:
            raise forms.ValidationError(wrong.message, code="bad_password") from None
        return password

    def service_kwargs(self) -> dict:
        # The attestation text the audit event records is the one the reviewer ticked.
        return {"attestation": settings.APPROVAL_ATTESTATION}


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices)
    note = forms.CharField(required=False, max_length=NOTE_MAX, widget=forms.TextInput(attrs={"size": 40}))


class WaiverForm(forms.Form):
    reason = forms.CharField(max_length=NOTE_MAX, widget=forms.TextInput(attrs={"size": 40}))


class CommentForm(forms.Form):
    """A comment on the whole answer, or anchored: the revision shown, a section's position,
    and a sentence of that section (the service checks the anchor against the revision)."""

    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        # The review page shows the box under its "Comments" heading, without a <label>: name it for assistive tech.
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80, "aria-label": "Your comment"}),
    )
    revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    section = forms.IntegerField(required=False, min_value=1, max_value=32767, widget=forms.HiddenInput)
    quote = forms.CharField(label="Sentence", required=False, max_length=QUOTE_MAX)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, empty_label="Choose a board member")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = _reviewer_label


def _reviewer_label(user) -> str:
    profile = getattr(user, "reviewer_profile", None)
    label = f"{profile} ({user.get_username()})" if profile else user.get_username()
    open_reviews = getattr(user, "open_reviews", None)  # annotated by selectors.eligible_reviewers
    if open_reviews is None:
        return label
    return f"{label}: {open_reviews} open review{pluralize(open_reviews)}"


class RiskForm(forms.Form):
    tier = forms.ChoiceField(label="Risk tier", choices=RiskTier.choices)
    reason = forms.CharField(label="Reason", max_length=REASON_MAX, widget=forms.TextInput(attrs={"size": 60}))
