from django.contrib import admin
from django.urls import path

from editorial.api import api as drafting_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", drafting_api.urls),
]
