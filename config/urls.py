from django.contrib import admin
from django.urls import include, path

from config import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("editorial/reports/", include("editorial.reports.urls")),
]

# --- Health probes (config/health.py; HealthProbeMiddleware answers them first) ---
urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
