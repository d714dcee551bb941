"""The reviewer's desk: the editorial admin.

`answers.py` holds the answer list and review page, `forms.py` the forms its
buttons open, `audit.py` the read-only audit trail. Importing this package
registers them with the default admin site.
"""

from django.contrib import admin

from config.auth import LoginForm
from editorial.admin.answers import AnswerAdmin
from editorial.admin.audit import AuditEventAdmin

# The index greets each user with their own queue counts (editorial_desk tags).
admin.site.index_template = "admin/editorial/index.html"
# A username over the user model's length is a form error, not a 500 (see config.auth).
admin.site.login_form = LoginForm

__all__ = ["AnswerAdmin", "AuditEventAdmin"]
