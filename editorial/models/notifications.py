"""What each user wants to hear about: one switch per kind of notification."""

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", "A draft is submitted in one of my specialties"
    ASSIGNED = "assigned", "An editor assigns me a review"
    DECISION = "decision", "A decision on an answer I drafted or edit (approve, changes, reject, retract)"
    REMINDER = "reminder", "Reminders of reviews waiting past their deadline"
    REVIEW_DUE = "review_due", "Answers in my specialties due for re-review"
    DIGEST = "digest", "The weekly editors' digest"


class NotificationPreference(models.Model):
    """A user's switch for one kind. No row means the kind is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {'on' if self.enabled else 'off'}"
