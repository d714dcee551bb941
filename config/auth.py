"""Login protection in front of Django's ModelBackend."""

from axes.backends import AxesStandaloneBackend
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect


class LoginProtectionBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Every login form (the admin's, `LoginView`) passes the request, so axes
    counts and locks those. `authenticate()` without a request is code, not a
    person at a form: the test client's `login()`, a management command. Axes
    would raise on it; here it passes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class _BoundedUsername:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(_BoundedUsername, AdminAuthenticationForm):
    """The admin's login form, refusing a username longer than the user model allows.

    Django's AuthenticationForm sets the username field's `max_length` after the
    field is built, so no validator checks it: a 100,000-character username
    reached `authenticate()`, and django-axes' record of the failure (a
    255-character column) was a 500 on PostgreSQL. Now it is a form error and
    nothing is written.
    """


class SiteLoginForm(_BoundedUsername, AuthenticationForm):
    """The login outside the admin (`/accounts/login/`), for every active account,
    staff or not (a drafting system's e-mail preferences); axes counts it too."""


def account_home(request):
    """Where a login with no (or a refused) `next` lands (LOGIN_REDIRECT_URL):
    the admin for staff, the notification preferences for everyone else."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect("admin:index" if request.user.is_staff else "notification_preferences")
