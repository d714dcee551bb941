"""The site-wide admin: Vetted's own `AdminSite`, installed through
`config.apps.VettedAdminConfig` (Django's `AdminConfig.default_site`).

The apps register their models on it as usual (`admin.site`); what the whole
admin looks like is decided here, once.
"""

from django.contrib import admin

from config.auth import LoginForm


class VettedAdminSite(admin.AdminSite):
    # The index greets each user with their own queue counts (editorial's desk tags).
    index_template = "admin/editorial/index.html"
    # A username over the user model's length is a form error, not a 500 (see config.auth).
    login_form = LoginForm
