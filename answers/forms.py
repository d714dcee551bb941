from django import forms

from answers.models import Audience, FollowUpQuestion

FOLLOW_UP_MIN_LENGTH = 10
FOLLOW_UP_MAX_LENGTH = FollowUpQuestion._meta.get_field("text").max_length


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        label="Which best describes you?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the listed descriptions."},
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        max_length=FOLLOW_UP_MAX_LENGTH,
        min_length=FOLLOW_UP_MIN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": FOLLOW_UP_MAX_LENGTH}),
        help_text=(
            f"Between {FOLLOW_UP_MIN_LENGTH} and {FOLLOW_UP_MAX_LENGTH} characters. "
            "Please leave out names and other personal details."
        ),
        error_messages={
            "required": "Write your question first.",
            "min_length": f"Please write at least {FOLLOW_UP_MIN_LENGTH} characters.",
        },
    )
