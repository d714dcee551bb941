from django.contrib import admin
from django.urls import include, path

from config import health
from editorial.api import api as drafting_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", drafting_api.urls),
    path("editorial/", include("editorial.urls")),
    path("", include("answers.urls")),
    # Health probes (config/health.py; HealthProbeMiddleware answers them first).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
