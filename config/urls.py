from django.contrib import admin
from django.urls import path

from editorial import preferences

urlpatterns = [
    path("admin/", admin.site.urls),
    path("editorial/preferences/", preferences.preferences_edit, name="notification_preferences"),
]
