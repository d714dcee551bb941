from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("editorial/reports/", include("editorial.reports.urls")),
]
