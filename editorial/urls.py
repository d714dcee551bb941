"""The editorial pages outside the admin: notification preferences and the reports."""

from django.urls import include, path

from editorial.notify import preferences

urlpatterns = [
    path("preferences/", preferences.preferences_edit, name="notification_preferences"),
    path("reports/", include("editorial.reports.urls")),
]
