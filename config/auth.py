"""Login protection in front of Django's ModelBackend."""

from axes.backends import AxesStandaloneBackend


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
