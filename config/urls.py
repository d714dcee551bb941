from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import health
from config.auth import SiteLoginForm, account_home
from editorial.api import api as drafting_api

urlpatterns = [
    path("admin/", admin.site.urls),
    # A login for every account (the preferences page's LOGIN_URL), not only staff.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SiteLoginForm, extra_context={"title": "Sign in"}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/home/", account_home, name="account_home"),
    path("api/v1/", drafting_api.urls),
    path("editorial/", include("editorial.urls")),
    path("", include("answers.urls")),
    # Health probes (config/health.py; HealthProbeMiddleware answers them first).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
